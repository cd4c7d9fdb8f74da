import type { DataTable } from './data-queries';

/** The warehouse table a stream lands in: `<connector>_<stream>`, as the hub names it (warehouse/destination.ts). */
export function tableOf(connectorId: string, stream: string): string {
  return `${connectorId}_${stream}`
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 63);
}

/** Keys first, then the data, then the system columns (`_raw`, `_synced_at`, `_run_id`). */
export function orderedColumns(columns: DataTable['columns']): DataTable['columns'] {
  const rank = (c: DataTable['columns'][number]) => (c.key ? 0 : c.name.startsWith('_') ? 2 : 1);
  return columns.toSorted((a, b) => rank(a) - rank(b));
}
