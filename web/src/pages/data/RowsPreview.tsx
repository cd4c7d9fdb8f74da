import { useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { formatNumber } from '../../format';
import { useRows, type DataTable, type RowsQuery } from './data-queries';
import { orderedColumns } from './tables';

const pageSizes = [25, 50, 100];

/** A page of a table's rows: sortable by any column, a page at a time. */
export function RowsPreview({ table }: { table: DataTable }) {
  const [query, setQuery] = useState<RowsQuery>({ limit: 25, offset: 0, direction: 'asc' });
  const rows = useRows(table.name, query);
  const keys = table.columns.filter((c) => c.key).map((c) => c.name);
  // Without a chosen column the hub sorts by the primary key.
  const sortedBy = query.sort ?? (keys.length === 1 ? keys[0] : undefined);
  const sortBy = (column: string) =>
    setQuery({ ...query, offset: 0, sort: column, direction: sortedBy === column && query.direction === 'asc' ? 'desc' : 'asc' });
  if (rows.isPending) return <Loading label="Loading the rows" />;
  if (!rows.data) return <ErrorMessage error={rows.error} title="The rows could not be read." />;
  const { total } = rows.data;
  const columns = orderedColumns(rows.data.columns);
  const first = total === 0 ? 0 : query.offset + 1;
  const last = Math.min(query.offset + query.limit, total);
  return (
    <div className="stack">
      <ErrorMessage error={rows.error} title="That page could not be read." />
      {total === 0 ? (
        <p className="empty">This table has no rows yet.</p>
      ) : (
        <div className="table-wrap rows-preview" tabIndex={0} role="region" aria-label={`Rows of ${table.name}`}>
          <table>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.name} scope="col" aria-sort={sortedBy === column.name ? (query.direction === 'asc' ? 'ascending' : 'descending') : undefined}>
                    <button type="button" className="sort-button" onClick={() => sortBy(column.name)}>
                      {column.name}
                      <span aria-hidden="true">{sortedBy === column.name ? (query.direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody aria-busy={rows.isPlaceholderData}>
              {rows.data.rows.map((row, i) => (
                <tr key={keys.length > 0 ? keys.map((k) => String(row[k])).join('|') : i}>
                  {columns.map((column) => (
                    <td key={column.name} className={column.type === 'integer' || column.type === 'number' ? 'number' : undefined}>
                      <CellValue value={row[column.name]} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="spread pager" aria-label="Row pages">
        <p role="status">
          Rows {formatNumber(first)}–{formatNumber(last)} of {formatNumber(total)}
        </p>
        <div className="row">
          <label className="inline">
            Rows per page
            <select value={query.limit} onChange={(e) => setQuery({ ...query, offset: 0, limit: Number(e.target.value) })}>
              {pageSizes.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => setQuery({ ...query, offset: Math.max(0, query.offset - query.limit) })} disabled={query.offset === 0}>
            Previous page
          </button>
          <button type="button" onClick={() => setQuery({ ...query, offset: query.offset + query.limit })} disabled={last >= total}>
            Next page
          </button>
        </div>
      </nav>
    </div>
  );
}

/** One value of a row: JSON compact on one line (open it to read it whole), the rest as text. */
const maxInline = 60;

function CellValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">null</span>;
  if (typeof value === 'object') {
    const compact = JSON.stringify(value);
    if (compact.length <= maxInline) return <code className="json">{compact}</code>;
    return (
      <details className="json">
        <summary>
          <code>{compact.slice(0, maxInline)}…</code>
        </summary>
        <pre>{JSON.stringify(value, null, 2)}</pre>
      </details>
    );
  }
  return <>{String(value)}</>;
}
