import { invalidField } from '../domain/errors.js';
import { quoteIdentifier as q } from '../domain/sql-text.js';
import type { RowsQuery, TableColumn } from './destination.js';

/**
 * The ORDER BY of a rows preview, the same on every backend: the asked column (the key by
 * default, else `_synced_at`), then the key for a stable order among ties. Only a column the
 * table has may be named.
 */
export function rowsOrder(columns: TableColumn[], query: RowsQuery): string {
  const sort = query.sort ?? columns.find((c) => c.key)?.name ?? '_synced_at';
  if (!columns.some((c) => c.name === sort)) {
    throw invalidField('sort', `the table has no column "${sort}"`);
  }
  const ties = columns.filter((c) => c.key && c.name !== sort).map((c) => q(c.name));
  return [`${q(sort)} ${query.direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`, ...ties].join(', ');
}
