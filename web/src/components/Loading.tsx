/** A placeholder while data loads; `label` says what, for screen readers too. */
export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      {label}…
    </p>
  );
}
