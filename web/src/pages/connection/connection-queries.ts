import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';

/** What the connection page reads, keyed under `['connection', id]` so one invalidation refreshes it all. */
export type Connection = Schemas['Connection'];
export type SyncRun = Schemas['SyncRun'];
export type ConnectionTest = Schemas['ConnectionTest'];

export const connectionKey = (id: string) => ['connection', id] as const;

export function useConnection(id: string) {
  return useQuery({
    queryKey: connectionKey(id),
    queryFn: () => unwrap(api.GET('/api/v1/connections/{id}', { params: { path: { id } } })),
  });
}

/**
 * After anything that changes a connection: its status, history, events and checks may all have
 * moved. An answer that carries the connection is shown at once, before everything is read again.
 */
export function useConnectionChanged(id: string) {
  const queries = useQueryClient();
  return (updated?: Connection) => {
    if (updated) queries.setQueryData(connectionKey(id), updated);
    return queries.invalidateQueries({ queryKey: connectionKey(id) });
  };
}

const pageSize = 20;

export function useRunHistory(id: string) {
  return useInfiniteQuery({
    queryKey: [...connectionKey(id), 'runs'],
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/v1/connections/{id}/runs', { params: { path: { id }, query: { limit: pageSize, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function useEvents(id: string) {
  return useInfiniteQuery({
    queryKey: [...connectionKey(id), 'events'],
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/v1/connections/{id}/events', { params: { path: { id }, query: { limit: pageSize, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** The last 50 checks, oldest first, for the chart. */
export function useHealthChecks(id: string) {
  return useQuery({
    queryKey: [...connectionKey(id), 'health'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/connections/{id}/health', { params: { path: { id }, query: { limit: 50 } } }))).checks.toReversed(),
  });
}

const finished = new Set<SyncRun['status']>(['succeeded', 'failed', 'cancelled', 'skipped']);

export function isFinished(status: SyncRun['status']): boolean {
  return finished.has(status);
}
