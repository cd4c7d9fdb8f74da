import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatDateTime } from '../../format';
import { tableOf } from '../data/tables';
import { useConnectionChanged, type Connection } from './connection-queries';

/** A cursor is often a timestamp; shown as one when it is, as it is otherwise. */
const cursorText = (cursor: string) => (/^\d{4}-\d{2}-\d{2}T/.test(cursor) ? formatDateTime(cursor) : cursor);

/** Which streams sync: each one on or off (saved at once), with a link to the table it fills. */
export function StreamsEditor({ connection, canManage }: { connection: Connection; canManage: boolean }) {
  const changed = useConnectionChanged(connection.id);
  const save = useMutation({
    mutationFn: (streams: string[]) => unwrap(api.PATCH('/api/v1/connections/{id}', { params: { path: { id: connection.id } }, body: { streams } })),
    onSuccess: (updated) => changed(updated),
    onError: () => changed(),
  });
  // While saving, the boxes show what was asked for (set at once, in the click).
  const [asked, setAsked] = useState<string[] | null>(null);
  const toggle = (name: string, on: boolean) => {
    const selected = connection.streams.filter((s) => (s.name === name ? on : (asked?.includes(s.name) ?? s.selected))).map((s) => s.name);
    setAsked(selected);
    save.mutate(selected, { onSettled: () => setAsked(null) });
  };
  if (connection.streams.length === 0) {
    return <p className="empty">This connector finds its streams when the connection is tested: test it to see them.</p>;
  }
  return (
    <fieldset className="streams" disabled={!canManage || save.isPending}>
      <legend className="visually-hidden">Streams to sync</legend>
      <ul className="stream-list">
        {connection.streams.map((stream) => (
          <li key={stream.name}>
            <label className="inline">
              <input type="checkbox" checked={asked ? asked.includes(stream.name) : stream.selected} onChange={(e) => toggle(stream.name, e.target.checked)} />
              <span>
                <strong>{stream.name}</strong> <span className="muted">{(asked ? asked.includes(stream.name) : stream.selected) ? 'on' : 'off'}</span>
                {stream.description ? <span className="help stream-description">{stream.description}</span> : null}
              </span>
            </label>
            <span className="help">
              {stream.incremental ? 'Incremental' : 'Full reads'}
              {stream.cursor ? ` · next read from ${cursorText(stream.cursor)}` : ''}
              {' · '}
              <Link href={`/data/tables/${tableOf(connection.connectorId, stream.name)}`}>{tableOf(connection.connectorId, stream.name)} table</Link>
            </span>
          </li>
        ))}
      </ul>
      {!canManage ? <p className="help">Only admins can turn streams on or off.</p> : null}
      <ErrorMessage error={save.error} title="The streams could not be saved." />
    </fieldset>
  );
}
