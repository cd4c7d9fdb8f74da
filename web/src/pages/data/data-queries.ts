import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import type { Granularity, Period } from './period';

/** What the data hub reads, keyed under `['data']` (a finished run refreshes them all). */
export type Freshness = Schemas['DataFreshness'];
export type DataTable = Schemas['DataTable'];

/** The API's default period (30 days ending on the last day with data): its end anchors the presets. */
export function useDataSpan() {
  return useQuery({
    queryKey: ['data', 'span'],
    queryFn: async () => {
      const overview = await unwrap(api.GET('/api/v1/data/overview'));
      return { lastDay: overview.period.to, providers: overview.providers.length, freshness: overview.freshness };
    },
  });
}

export function useOverview(period: Period | undefined) {
  return useQuery({
    queryKey: ['data', 'overview', period],
    queryFn: () => unwrap(api.GET('/api/v1/data/overview', { params: { query: period! } })),
    enabled: period !== undefined,
    placeholderData: keepPreviousData,
  });
}

export type Overview = NonNullable<ReturnType<typeof useOverview>['data']>;

export function useMetrics(period: Period | undefined, granularity: Granularity) {
  return useQuery({
    queryKey: ['data', 'metrics', period, granularity],
    queryFn: () => unwrap(api.GET('/api/v1/data/metrics', { params: { query: { ...period!, granularity } } })),
    enabled: period !== undefined,
    placeholderData: keepPreviousData,
  });
}

export type Metrics = NonNullable<ReturnType<typeof useMetrics>['data']>;
export type Series = Metrics['providers'][number]['metrics'][number];

export function useInsights(period: Period | undefined) {
  return useQuery({
    queryKey: ['data', 'insights', period],
    queryFn: () => unwrap(api.GET('/api/v1/data/insights', { params: { query: period! } })),
    enabled: period !== undefined,
    placeholderData: keepPreviousData,
  });
}

export type Insights = NonNullable<ReturnType<typeof useInsights>['data']>;

export function useTables() {
  return useQuery({ queryKey: ['data', 'tables'], queryFn: () => unwrap(api.GET('/api/v1/data/tables')) });
}

export function useTable(name: string) {
  return useQuery({ queryKey: ['data', 'tables', name], queryFn: () => unwrap(api.GET('/api/v1/data/tables/{name}', { params: { path: { name } } })) });
}

export interface RowsQuery {
  limit: number;
  offset: number;
  sort?: string;
  direction: 'asc' | 'desc';
}

export function useRows(name: string, query: RowsQuery) {
  return useQuery({
    queryKey: ['data', 'tables', name, 'rows', query],
    queryFn: () => unwrap(api.GET('/api/v1/data/tables/{name}/rows', { params: { path: { name }, query } })),
    // The page before stays on screen while the next loads, but never another table's rows.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[2] === name ? previous : undefined),
  });
}

/** The workspace's connections, to say which ones fill a table (and whether they are sandbox). */
export function useConnections() {
  return useQuery({ queryKey: ['data', 'connections'], queryFn: async () => (await unwrap(api.GET('/api/v1/connections'))).connections });
}
