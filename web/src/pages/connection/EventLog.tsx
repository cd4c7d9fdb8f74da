import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { formatDateTime, formatRelative } from '../../format';
import { useEvents } from './connection-queries';

/** What happened to the connection, newest first, a page at a time. */
export function EventLog({ connectionId }: { connectionId: string }) {
  const events = useEvents(connectionId);
  if (events.isPending) return <Loading label="Loading the events" />;
  if (!events.data) return <ErrorMessage error={events.error} title="The events could not be read." />;
  const items = events.data.pages.flatMap((page) => page.events);
  if (items.length === 0) return <p className="empty">Nothing has happened to this connection yet.</p>;
  return (
    <div className="stack">
      <ol className="event-log">
        {items.map((event) => (
          <li key={event.id}>
            <time dateTime={event.createdAt} title={formatDateTime(event.createdAt)}>
              {formatRelative(event.createdAt)}
            </time>
            <span className="badge event-kind">{event.kind}</span>
            <span className="event-message">{event.message}</span>
          </li>
        ))}
      </ol>
      {events.hasNextPage ? (
        <button type="button" className="load-more" onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage}>
          {events.isFetchingNextPage ? 'Loading…' : 'Show older events'}
        </button>
      ) : null}
      <ErrorMessage error={events.isFetchNextPageError ? events.error : null} />
    </div>
  );
}
