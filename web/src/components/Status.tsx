/** A connection's status as a light with its word (colour is never the only signal). */
export function StatusLight({ status }: { status: string }) {
  return <span className={`status ${status}`}>{status}</span>;
}

/** Sandbox or live: sandbox data is always labelled as such. */
export function ModeBadge({ mode }: { mode: 'sandbox' | 'live' | string }) {
  return <span className={`badge ${mode === 'sandbox' ? 'sandbox' : 'live'}`}>{mode === 'sandbox' ? 'Sandbox' : 'Live'}</span>;
}
