import type { ConnectionMode, ConnectionStatus } from '../domain/connections.js';

/**
 * Where an answer's numbers come from, said with every data hub answer (BLUEPRINT principle 3):
 * `live` or `sandbox` by the connections behind it (`mixed` when both, `none` when there are
 * none), and `stale` when one of them is in error or disconnected, or has not synced successfully
 * for `staleAfterHours` (two days: twice the default daily schedule), with each one's last
 * successful sync.
 */
export const staleAfterHours = 48;

export interface SourceConnection {
  connectionId: string;
  name: string;
  provider: string;
  mode: ConnectionMode;
  status: ConnectionStatus;
  lastSyncedAt: Date | null;
}

export interface SourceView {
  connectionId: string;
  name: string;
  provider: string;
  mode: ConnectionMode;
  status: ConnectionStatus;
  lastSyncedAt: string | null;
  stale: boolean;
}

export interface Freshness {
  source: 'live' | 'sandbox' | 'mixed' | 'none';
  stale: boolean;
  /** The oldest last successful sync among them: the numbers are at least this fresh. */
  lastSyncedAt: string | null;
  connections: SourceView[];
}

export function isStale(connection: SourceConnection, now: Date): boolean {
  if (connection.status === 'error' || connection.status === 'disconnected') return true;
  return connection.lastSyncedAt === null || now.getTime() - connection.lastSyncedAt.getTime() > staleAfterHours * 3_600_000;
}

export function freshnessOf(connections: readonly SourceConnection[], now: Date): Freshness {
  const views = connections.map((c): SourceView => ({ ...c, lastSyncedAt: c.lastSyncedAt?.toISOString() ?? null, stale: isStale(c, now) }));
  const modes = new Set(views.map((v) => v.mode));
  const source = modes.size === 0 ? 'none' : modes.size > 1 ? 'mixed' : modes.has('live') ? 'live' : 'sandbox';
  const synced = views.map((v) => v.lastSyncedAt).filter((at): at is string => at !== null).sort();
  return { source, stale: views.some((v) => v.stale), lastSyncedAt: synced[0] ?? null, connections: views };
}
