import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, unwrap } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatDuration, formatNumber } from '../../format';
import { isFinished, useConnectionChanged, type Connection, type SyncRun } from './connection-queries';
import { RunStatus } from './RunStatus';
import { useRunStream } from './use-run-stream';

/**
 * Run now, and the run followed live: records per stream as they grow, Cancel while it goes, and
 * its summary when it ends. A run already going when the page opens is followed too.
 */
export function RunPanel({ connection, latestRun, canRun }: { connection: Connection; latestRun: SyncRun | undefined; canRun: boolean }) {
  const changed = useConnectionChanged(connection.id);
  const [started, setStarted] = useState<{ id: string; joined: boolean } | null>(null);
  const followed = started?.id ?? (latestRun && !isFinished(latestRun.status) ? latestRun.id : null);
  const { run, lost } = useRunStream(followed, connection.id);
  const start = useMutation({
    mutationFn: async () => {
      try {
        const queued = await unwrap(api.POST('/api/v1/connections/{id}/runs', { params: { path: { id: connection.id } }, body: { trigger: 'manual' } }));
        return { id: queued.id, joined: false };
      } catch (error) {
        // One run at a time: when one is already going, follow that one instead.
        const runId = error instanceof ApiError && error.code === 'already_running' ? (error.details as { runId?: string }).runId : undefined;
        if (runId) return { id: runId, joined: true };
        throw error;
      }
    },
    onSuccess: (answer) => {
      setStarted(answer);
      void changed();
    },
  });
  const cancel = useMutation({ mutationFn: (id: string) => unwrap(api.POST('/api/v1/runs/{id}/cancel', { params: { path: { id } } })) });
  const going = run !== null && !isFinished(run.status);
  return (
    <div className="stack">
      <div className="row">
        <button type="button" className="primary" onClick={() => start.mutate()} disabled={!canRun || going || start.isPending || connection.status === 'disconnected'}>
          {start.isPending ? 'Starting…' : 'Run now'}
        </button>
        {going ? (
          <button type="button" className="danger" onClick={() => cancel.mutate(run.id)} disabled={run.cancelRequested || cancel.isPending}>
            {run.cancelRequested ? 'Cancelling…' : 'Cancel run'}
          </button>
        ) : null}
        {!canRun ? <span className="help">Viewers cannot start runs.</span> : null}
      </div>
      {started?.joined ? <p className="notice">A run was already going; this is that run.</p> : null}
      <ErrorMessage error={start.error} title="The run could not start." />
      <ErrorMessage error={cancel.error} title="The run could not be cancelled." />
      {lost ? <p className="error">Live progress was lost; the run history below shows how it ended.</p> : null}
      {followed && !run && !lost ? <p className="loading">Waiting for the run to start…</p> : null}
      {run ? <RunProgress run={run} /> : null}
    </div>
  );
}

function RunProgress({ run }: { run: SyncRun }) {
  const streams = Object.entries(run.streams);
  const finished = isFinished(run.status);
  return (
    <section className="card run-progress" aria-labelledby="run-progress-title">
      <div className="spread">
        <h3 id="run-progress-title">{finished ? 'Last run' : 'Running now'}</h3>
        <span role="status">
          <RunStatus status={run.status} />
        </span>
      </div>
      <p className="run-totals">
        <strong>{formatNumber(run.records)}</strong> records
        {finished ? ` in ${formatDuration(run.durationMs)}` : ' so far'}
        {run.attempt > 1 ? ` · attempt ${run.attempt} of ${run.maxAttempts}` : ''}
      </p>
      {run.error ? (
        <p className="error">
          <code>{run.error.code}</code>: {run.error.message} {run.error.retryable && run.status !== 'failed' ? 'It is retried.' : ''}
        </p>
      ) : null}
      {streams.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Records per stream</caption>
            <thead>
              <tr>
                <th scope="col">Stream</th>
                <th scope="col">Status</th>
                <th scope="col" className="number">
                  Records
                </th>
                <th scope="col" className="number">
                  Pages
                </th>
              </tr>
            </thead>
            <tbody>
              {streams.map(([name, counts]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>
                    <RunStatus status={counts.status} />
                  </td>
                  <td className="number">{formatNumber(counts.records)}</td>
                  <td className="number">{formatNumber(counts.pages)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
