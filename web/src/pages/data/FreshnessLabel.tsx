import { Link } from 'wouter';
import { formatDateTime, formatRelative } from '../../format';
import type { Freshness } from './data-queries';

const sourceLabels: Record<Freshness['source'], string> = {
  sandbox: 'Sandbox data',
  live: 'Live data',
  mixed: 'Live and sandbox data',
  none: 'No source',
};

/**
 * Where numbers come from, said in words beside them: sandbox or live, and stale (with the
 * connections behind it, each a link to its page) when one has not synced lately or failed.
 */
export function FreshnessLabel({ freshness }: { freshness: Freshness }) {
  const stale = freshness.connections.filter((c) => c.stale);
  return (
    <div className="freshness">
      <span className={`badge ${freshness.source === 'sandbox' ? 'sandbox' : freshness.source === 'live' ? 'live' : ''}`}>{sourceLabels[freshness.source]}</span>
      {freshness.stale ? <span className="badge stale">⚠ Stale</span> : null}
      <span className="muted">
        {freshness.lastSyncedAt ? (
          <>
            Last synced <time dateTime={freshness.lastSyncedAt} title={formatDateTime(freshness.lastSyncedAt)}>{formatRelative(freshness.lastSyncedAt)}</time>
          </>
        ) : (
          'Never synced'
        )}
      </span>
      {stale.length > 0 ? (
        <span className="stale-detail">
          Stale:{' '}
          {stale.map((c, i) => (
            <span key={c.connectionId}>
              {i > 0 ? ', ' : ''}
              <Link href={`~/connections/${c.connectionId}`}>{c.name}</Link> ({c.status}, {c.lastSyncedAt ? `synced ${formatRelative(c.lastSyncedAt)}` : 'never synced'})
            </span>
          ))}
        </span>
      ) : null}
    </div>
  );
}
