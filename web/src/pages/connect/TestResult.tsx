import { useEffect, useRef } from 'react';
import { adviceFor } from '../../error-advice';

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
        <strong>{outcome.ok ? `${name} answered: the connection works.` : adviceFor(outcome.error?.code ?? '').words}</strong> {time}
      </p>
      {outcome.error ? (
        <p className="test-detail">
          {outcome.error.message} <span className="muted">({outcome.error.code})</span>
        </p>
      ) : null}
    </div>
  );
}
