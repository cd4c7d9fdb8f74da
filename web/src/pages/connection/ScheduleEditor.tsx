import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api, ApiError, unwrap } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatRelative } from '../../format';
import { useConnectionChanged, type Connection } from './connection-queries';

const timeZones = Intl.supportedValuesOf('timeZone');

/** A run time as the schedule reads it: in its own time zone, named. */
function inZone(iso: string, timeZone: string): string {
  return `${new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone })} (${timeZone})`;
}

/**
 * When scheduled runs happen: a cron expression read in a time zone, or off. The hub checks the
 * expression; its 400 is shown on the field it names, and a saved schedule shows its next runs.
 */
export function ScheduleEditor({ connection, canManage }: { connection: Connection; canManage: boolean }) {
  const ids = useId();
  const changed = useConnectionChanged(connection.id);
  const [enabled, setEnabled] = useState(connection.schedule.cron !== null);
  const [cron, setCron] = useState(connection.schedule.cron ?? '0 3 * * *');
  const [timezone, setTimezone] = useState(connection.schedule.timezone);
  const save = useMutation({
    mutationFn: () =>
      unwrap(api.PATCH('/api/v1/connections/{id}', { params: { path: { id: connection.id } }, body: { schedule: { cron: enabled ? cron.trim() : null, timezone: timezone.trim() } } })),
    onSuccess: (updated) => changed(updated),
  });
  const problem = (field: string) => (save.error instanceof ApiError ? save.error.fieldMessage(field) : undefined);
  const cronProblem = problem('schedule.cron');
  const zoneProblem = problem('schedule.timezone');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const { nextRuns } = connection.schedule;
  return (
    <form className="stack schedule" onSubmit={submit}>
      <fieldset className="stack" disabled={!canManage}>
        <legend className="visually-hidden">Schedule</legend>
        <label className="inline">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Run on a schedule
        </label>
        <div className="schedule-fields">
          <label>
            Cron expression
            <input
              value={cron}
              onChange={(e) => setCron(e.target.value)}
              disabled={!enabled}
              className="mono"
              spellCheck={false}
              aria-invalid={cronProblem ? true : undefined}
              aria-describedby={`${ids}-cron-help${cronProblem ? ` ${ids}-cron-error` : ''}`}
            />
            <span id={`${ids}-cron-help`} className="help">
              Minute, hour, day of month, month, day of week: <code>0 3 * * *</code> is every day at 03:00.
            </span>
            {cronProblem ? (
              <span id={`${ids}-cron-error`} className="field-error">
                {cronProblem}
              </span>
            ) : null}
          </label>
          <label>
            Time zone
            <input
              value={timezone}
              onChange={(e) => setTimezone(e.target.value)}
              list={`${ids}-zones`}
              disabled={!enabled}
              aria-invalid={zoneProblem ? true : undefined}
              aria-describedby={zoneProblem ? `${ids}-zone-error` : undefined}
            />
            <datalist id={`${ids}-zones`}>
              {timeZones.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
            {zoneProblem ? (
              <span id={`${ids}-zone-error`} className="field-error">
                {zoneProblem}
              </span>
            ) : null}
          </label>
        </div>
        <div className="row">
          <button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save schedule'}
          </button>
          {save.isSuccess ? (
            <span role="status" className="help">
              Saved.
            </span>
          ) : null}
        </div>
      </fieldset>
      {!canManage ? <p className="help">Only admins can change the schedule.</p> : null}
      {save.error && !cronProblem && !zoneProblem ? <ErrorMessage error={save.error} title="The schedule could not be saved." /> : null}
      {connection.schedule.cron === null ? (
        <p className="muted">Scheduled runs are off; the connection syncs only when someone runs it.</p>
      ) : (
        <div>
          <h3>Next runs</h3>
          <ol className="next-runs" aria-label="Next runs">
            {nextRuns.map((at) => (
              <li key={at}>
                <time dateTime={at}>{inZone(at, connection.schedule.timezone)}</time> <span className="muted">{formatRelative(at)}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </form>
  );
}
