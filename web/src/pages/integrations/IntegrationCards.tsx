import { Link } from 'wouter';
import { ModeBadge, StatusLight } from '../../components/Status';
import { formatDateTime, formatRelative } from '../../format';
import { categoryLabel, kindLabel, type Connection, type Connector } from './catalog';

/**
 * A connector's icon. The catalog's SVG is the vendor's markup, so it is only ever drawn as an
 * image (a data URL: no script runs, no style leaks); custom connectors have none and get a
 * letter tile. The name always stands beside it, so the picture itself is decorative.
 */
export function ConnectorIcon({ name, svg }: { name: string; svg: string | null | undefined }) {
  if (!svg) {
    return (
      <span className="connector-icon letter" aria-hidden="true">
        {name.trim().charAt(0).toUpperCase() || '?'}
      </span>
    );
  }
  return <img className="connector-icon" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} alt="" width={40} height={40} />;
}

/** One connector of the catalog, with a connect button for those who may connect. */
export function ConnectorCard({ connector, onConnect }: { connector: Connector; onConnect?: (connector: Connector) => void }) {
  return (
    <article className="card integration-card">
      <div className="integration-head">
        <ConnectorIcon name={connector.name} svg={connector.iconSvg} />
        <div>
          <h3>{connector.name}</h3>
          <p className="muted integration-sub">{categoryLabel(connector.category)}</p>
        </div>
      </div>
      <p className="integration-description">{connector.description}</p>
      <div className="row integration-badges">
        <span className="badge">{kindLabel(connector.kind)}</span>
        {connector.sandbox ? <span className="badge">Sandbox available</span> : null}
        {connector.custom ? <span className="badge">Your own</span> : null}
      </div>
      {onConnect ? (
        <div className="integration-foot">
          <button type="button" className="primary" onClick={() => onConnect(connector)}>
            Connect<span className="visually-hidden"> {connector.name}</span>
          </button>
        </div>
      ) : null}
    </article>
  );
}

/** One of the workspace's connections: what it is, whether it works, when it last synced; links to its page. */
export function ConnectionCard({ connection, connector }: { connection: Connection; connector: Connector | undefined }) {
  return (
    <article className="card integration-card">
      <div className="integration-head">
        <ConnectorIcon name={connection.connectorName} svg={connector?.iconSvg} />
        <div>
          <h3>
            <Link href={`/connections/${connection.id}`}>{connection.name}</Link>
          </h3>
          <p className="muted integration-sub">{connection.connectorName}</p>
        </div>
      </div>
      <div className="row integration-badges">
        <StatusLight status={connection.status} />
        <ModeBadge mode={connection.mode} />
        <span className="badge">{kindLabel(connection.kind)}</span>
      </div>
      <LastSync run={connection.lastRun} />
      {connection.lastError ? <p className="integration-error">{connection.lastError.message}</p> : null}
    </article>
  );
}

function LastSync({ run }: { run: Connection['lastRun'] }) {
  if (!run) return <p className="muted integration-sync">Not synced yet</p>;
  if (!run.finishedAt) return <p className="muted integration-sync">Sync {run.status === 'queued' ? 'queued' : 'running now'}</p>;
  return (
    <p className="muted integration-sync">
      Last sync{' '}
      <time dateTime={run.finishedAt} title={formatDateTime(run.finishedAt)}>
        {formatRelative(run.finishedAt)}
      </time>
      {run.status === 'succeeded' ? '' : ` (${run.status})`}
    </p>
  );
}
