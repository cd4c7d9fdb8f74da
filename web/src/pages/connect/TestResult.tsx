import { useEffect, useRef } from 'react';

/** What a failed test means, in a few plain words, by the API's error code; the API's own message follows. */
const plainWords: Record<string, string> = {
  auth_failed: 'The key or sign-in was refused.',
  reauth_required: 'The sign-in is no longer accepted: sign in again.',
  vendor_forbidden: 'The key may not read this data.',
  vendor_not_found: 'Nothing was found at that address or account.',
  rate_limited: 'The vendor asked us to slow down.',
  vendor_unavailable: 'The vendor is having trouble right now.',
  timeout: 'The vendor did not answer in time.',
  network: 'The vendor could not be reached.',
  invalid_response: 'The vendor answered in a shape we did not expect.',
  bad_request: 'The vendor did not accept the request.',
  live_disabled: 'Live mode is switched off for this connector.',
  internal: 'Something went wrong on our side.',
};

export function failureHeadline(code: string): string {
  return plainWords[code] ?? 'The test failed.';
}

export interface TestOutcome {
  ok: boolean;
  responseTimeMs?: number;
  /** Who answered: the vendor (live) or the connector's sandbox. */
  source?: 'sandbox' | 'live';
  error: { code: string; message: string } | null;
}

/** A connection test's verdict: works or not, how fast, and what went wrong. Announced, and scrolled into sight, as it appears. */
export function TestResult({ outcome, name }: { outcome: TestOutcome; name: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [outcome]);
  const ms = outcome.responseTimeMs;
  const time = ms === undefined ? null : <span className="test-time">Answered in {ms < 1 ? 'under 1' : ms} ms{outcome.source === 'sandbox' ? ' by the sandbox' : ''}.</span>;
  return (
    <div ref={ref} className={`test-result ${outcome.ok ? 'ok' : 'failed'}`} role="status">
      <p className="test-verdict">
        <span aria-hidden="true">{outcome.ok ? '✓' : '✕'} </span>
        <strong>{outcome.ok ? `${name} answered: the connection works.` : failureHeadline(outcome.error?.code ?? '')}</strong> {time}
      </p>
      {outcome.error ? (
        <p className="test-detail">
          {outcome.error.message} <span className="muted">({outcome.error.code})</span>
        </p>
      ) : null}
    </div>
  );
}
