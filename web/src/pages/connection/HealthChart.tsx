import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis, type DotItemDotProps } from 'recharts';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { formatDateTime, formatNumber } from '../../format';
import { useHealthChecks } from './connection-queries';

const time = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/**
 * Response time and success of the last 50 checks. A failed check is drawn as a cross, a passed
 * one as a dot (never colour alone), a sentence sums them up, and the checks read as a table too.
 */
export function HealthChart({ connectionId }: { connectionId: string }) {
  const health = useHealthChecks(connectionId);
  if (health.isPending) return <Loading label="Loading the health checks" />;
  if (!health.data) return <ErrorMessage error={health.error} title="The health checks could not be read." />;
  const checks = health.data;
  if (checks.length === 0) return <p className="empty">No checks yet: test the connection to record one.</p>;
  const data = checks.map((check) => ({ ...check, label: time.format(new Date(check.checkedAt)) }));
  const failed = checks.filter((c) => !c.ok).length;
  const times = checks.map((c) => c.responseTimeMs).toSorted((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  return (
    <figure className="chart health-chart" aria-labelledby="health-caption">
      <figcaption id="health-caption">
        {checks.length} {checks.length === 1 ? 'check' : 'checks'}: {checks.length - failed} passed, {failed} failed. Median response time {formatNumber(median)} ms, last{' '}
        {formatNumber(checks.at(-1)!.responseTimeMs)} ms.
      </figcaption>
      <p className="chart-legend" aria-hidden="true">
        <span className="legend-ok">●</span> passed <span className="legend-failed">✕</span> failed
      </p>
      <LineChart responsive data={data} style={{ width: '100%', height: 220 }} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#e3e8ee" vertical={false} />
        <XAxis dataKey="label" tick={{ fill: '#4e5b6b', fontSize: 12 }} minTickGap={24} />
        <YAxis tick={{ fill: '#4e5b6b', fontSize: 12 }} width={56} unit=" ms" allowDecimals={false} />
        <Tooltip formatter={(value) => [`${formatNumber(Number(value))} ms`, 'Response time']} />
        <Line type="monotone" dataKey="responseTimeMs" name="Response time" stroke="#0b5cad" strokeWidth={2} dot={CheckMark} isAnimationActive={false} />
      </LineChart>
      <details>
        <summary>Show the checks as a table</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Checked</th>
                <th scope="col">Result</th>
                <th scope="col" className="number">
                  Response time
                </th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {checks.toReversed().map((check) => (
                <tr key={check.id}>
                  <td>{formatDateTime(check.checkedAt)}</td>
                  <td>{check.ok ? '✓ passed' : '✕ failed'}</td>
                  <td className="number">{formatNumber(check.responseTimeMs)} ms</td>
                  <td>{check.errorCode ? `${check.errorCode}: ${check.errorMessage ?? ''}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** One check on the line: a dot when it passed, a cross when it failed. */
function CheckMark({ cx, cy, payload, index }: DotItemDotProps) {
  if (typeof cx !== 'number' || typeof cy !== 'number') return null;
  const ok = (payload as { ok: boolean }).ok;
  if (ok) return <circle key={index} className="check-mark passed" cx={cx} cy={cy} r={4} fill="#17703a" stroke="#fff" strokeWidth={1} />;
  return <path key={index} className="check-mark failed" d={`M${cx - 5},${cy - 5}L${cx + 5},${cy + 5}M${cx + 5},${cy - 5}L${cx - 5},${cy + 5}`} stroke="#b3261e" strokeWidth={2.5} />;
}
