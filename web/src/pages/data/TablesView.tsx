import { Link, useSearchParams } from 'wouter';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { ModeBadge } from '../../components/Status';
import { formatNumber } from '../../format';
import { useConnections, useTables } from './data-queries';
import { tableOf } from './tables';

type Connections = NonNullable<ReturnType<typeof useConnections>['data']>;

/**
 * Which connections fill a table, so sandbox tables are labelled as such: a table is named
 * `<connector>_<stream>`, so it belongs to the connector with the longest id it starts with.
 */
function sourcesOf(table: string, connections: Connections): Connections {
  const prefixOf = (c: Connections[number]) => tableOf(c.connectorId, '');
  const matching = connections.filter((c) => table.startsWith(prefixOf(c)));
  const longest = Math.max(0, ...matching.map((c) => prefixOf(c).length));
  return matching.filter((c) => prefixOf(c).length === longest);
}

/** The tables of the workspace's dataset with their row counts; `?connector=` narrows to one connector's. */
export function TablesView() {
  const [params] = useSearchParams();
  const connector = params.get('connector');
  const tables = useTables();
  const connections = useConnections();
  if (tables.isPending) return <Loading label="Loading the tables" />;
  if (!tables.data) return <ErrorMessage error={tables.error} title="The tables could not be read." />;
  const shown = connector ? tables.data.tables.filter((t) => t.name.startsWith(`${connector}_`)) : tables.data.tables;
  return (
    <div className="stack">
      <div className="spread">
        <PageHeading level={2}>Tables</PageHeading>
        <p className="muted">
          Dataset <code>{tables.data.dataset}</code> ({tables.data.warehouse})
        </p>
      </div>
      {connector ? (
        <p className="notice">
          Showing the tables of <strong>{connector}</strong>. <Link href="/tables">Show all tables</Link>
        </p>
      ) : null}
      <ErrorMessage error={connections.error} title="Which connections fill each table could not be read." />
      {shown.length === 0 ? (
        <div className="empty card">
          <p>No tables yet. A table appears when a connection syncs: open a connection and run it.</p>
          <Link href="~/integrations" className="button primary">
            Go to Integrations
          </Link>
        </div>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Tables">
          <table>
            <thead>
              <tr>
                <th scope="col">Table</th>
                <th scope="col" className="number">
                  Rows
                </th>
                <th scope="col" className="number">
                  Columns
                </th>
                <th scope="col">Filled by</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((table) => (
                <tr key={table.name}>
                  <th scope="row">
                    <Link href={`/tables/${encodeURIComponent(table.name)}`} className="mono">
                      {table.name}
                    </Link>
                  </th>
                  <td className="number">{formatNumber(table.rowCount)}</td>
                  <td className="number">{table.columns.length}</td>
                  <td>
                    {sourcesOf(table.name, connections.data ?? []).map((c) => (
                      <span key={c.id} className="source">
                        <Link href={`~/connections/${c.id}`}>{c.name}</Link> <ModeBadge mode={c.mode} />
                      </span>
                    ))}
                    {table.name === 'metrics_daily' ? <span className="muted">Daily metrics of every connection that maps them</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
