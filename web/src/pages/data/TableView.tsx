import { Link } from 'wouter';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { formatNumber } from '../../format';
import { useTable } from './data-queries';
import { RowsPreview } from './RowsPreview';
import { orderedColumns } from './tables';

/** One table: its columns with types and key marks, and a preview of its rows. */
export function TableView({ name }: { name: string }) {
  const table = useTable(name);
  return (
    <div className="stack">
      <Link href="/tables">← All tables</Link>
      <PageHeading level={2} className="table-title">
        {name}
      </PageHeading>
      {table.isPending ? <Loading label="Loading the table" /> : null}
      <ErrorMessage error={table.error} title="This table could not be read." />
      {table.data ? (
        <>
          <section className="card" aria-labelledby="columns-title">
            <h3 id="columns-title">
              Columns <span className="muted">({table.data.columns.length}; {formatNumber(table.data.rowCount)} rows)</span>
            </h3>
            <ul className="columns-list" aria-label="Columns">
              {orderedColumns(table.data.columns).map((column) => (
                <li key={column.name}>
                  <code>{column.name}</code> <span className={`badge type ${column.type}`}>{column.type}</span>
                  {column.key ? (
                    <span className="badge key">key</span>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
          <section className="card" aria-labelledby="rows-title">
            <h3 id="rows-title">Rows</h3>
            <RowsPreview table={table.data} />
          </section>
        </>
      ) : null}
    </div>
  );
}
