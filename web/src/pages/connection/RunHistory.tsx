import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { formatDateTime, formatDuration, formatNumber, formatRelative } from '../../format';
import { useRunHistory } from './connection-queries';
import { RunStatus } from './RunStatus';

/** The connection's runs, newest first, a page at a time. */
export function RunHistory({ connectionId }: { connectionId: string }) {
  const history = useRunHistory(connectionId);
  if (history.isPending) return <Loading label="Loading the run history" />;
  if (!history.data) return <ErrorMessage error={history.error} title="The run history could not be read." />;
  const runs = history.data.pages.flatMap((page) => page.runs);
  if (runs.length === 0) return <p className="empty">No runs yet. Run now to sync for the first time.</p>;
  return (
    <div className="stack">
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Run history">
        <table className="stacked-table">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Trigger</th>
              <th scope="col">Status</th>
              <th scope="col" className="number">
                Records
              </th>
              <th scope="col" className="number">
                Duration
              </th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => {
              const at = run.startedAt ?? run.createdAt;
              return (
                <tr key={run.id}>
                  <td data-label="Started">
                    <time dateTime={at} title={formatDateTime(at)}>
                      {formatRelative(at)}
                    </time>
                  </td>
                  <td data-label="Trigger">{run.trigger}</td>
                  <td data-label="Status">
                    <RunStatus status={run.status} />
                  </td>
                  <td data-label="Records" className="number">{formatNumber(run.records)}</td>
                  <td data-label="Duration" className="number">{formatDuration(run.durationMs)}</td>
                  <td data-label="Error">{run.error ? <span><code>{run.error.code}</code> {run.error.message}</span> : <span className="muted">—</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {history.hasNextPage ? (
        <button type="button" className="load-more" onClick={() => void history.fetchNextPage()} disabled={history.isFetchingNextPage}>
          {history.isFetchingNextPage ? 'Loading…' : 'Show older runs'}
        </button>
      ) : null}
      <ErrorMessage error={history.isFetchNextPageError ? history.error : null} />
    </div>
  );
}
