import { useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'wouter';
import { hasRole, useMe } from '../../auth/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { ModeBadge, StatusLight } from '../../components/Status';
import { formatDateTime, formatRelative } from '../../format';
import { ConnectionActions } from './ConnectionActions';
import { ConnectionProblem } from './ConnectionProblem';
import { useConnection, useRunHistory, type Connection } from './connection-queries';
import { EventLog } from './EventLog';
import { HealthChart } from './HealthChart';
import { RunHistory } from './RunHistory';
import { RunPanel } from './RunPanel';
import { ScheduleEditor } from './ScheduleEditor';
import { StreamsEditor } from './StreamsEditor';

/** One connection: its state and what to do about it, its runs (live), streams, schedule, health and events. */
export function ConnectionPage({ id }: { id: string }) {
  const connection = useConnection(id);
  if (connection.isPending) return <Loading label="Loading the connection" />;
  if (!connection.data) {
    return (
      <div className="stack">
        <ErrorMessage error={connection.error} title="This connection could not be opened." />
        <Link href="/integrations">Back to integrations</Link>
      </div>
    );
  }
  return <ConnectionView connection={connection.data} />;
}

function ConnectionView({ connection }: { connection: Connection }) {
  const me = useMe();
  const runs = useRunHistory(connection.id);
  const [reconnectOpen, setReconnectOpen] = useState(false);
  // Back from signing in with the provider (the hub's OAuth callback says how its test went).
  const signedIn = useSearchParams()[0].get('oauth');
  const canManage = hasRole(me.data, 'admin');
  const canRun = hasRole(me.data, 'member');
  return (
    <div className="stack connection-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/integrations">Integrations</Link> <span aria-hidden="true">›</span> <span aria-current="page">{connection.name}</span>
      </nav>
      <header className="connection-head card">
        <div className="spread">
          <div>
            <PageHeading>{connection.name}</PageHeading>
            <p className="muted connection-facts">
              {connection.connectorName} · {connection.kind} · sign-in: {connection.authMethod}
            </p>
          </div>
          <div className="row">
            <StatusLight status={connection.status} />
            <ModeBadge mode={connection.mode} />
          </div>
        </div>
        <dl className="meta-list">
          <div>
            <dt>Credential</dt>
            <dd>{connection.credential ? <code>{connection.credential.hint}</code> : connection.mode === 'sandbox' && connection.status !== 'disconnected' ? 'The sandbox’s own' : 'None stored'}</dd>
          </div>
          <div>
            <dt>Last tested</dt>
            <dd title={formatDateTime(connection.lastTestedAt)}>{formatRelative(connection.lastTestedAt)}</dd>
          </div>
          <div>
            <dt>Data</dt>
            <dd>
              <Link href={`/data/tables?connector=${encodeURIComponent(connection.connectorId)}`}>Its tables in the data hub</Link>
            </dd>
          </div>
        </dl>
        <ConnectionActions connection={connection} canTest={canRun} canManage={canManage} reconnectOpen={reconnectOpen} setReconnectOpen={setReconnectOpen} />
      </header>
      {signedIn === 'connected' ? <p className="notice test-result ok">Signed in with {connection.connectorName}; the test after it passed.</p> : null}
      {signedIn === 'error' ? <p className="error">Signed in with {connection.connectorName}, but the test after it failed: see below.</p> : null}
      <ConnectionProblem connection={connection} canManage={canManage} onReconnect={() => setReconnectOpen(true)} />
      <Section title="Sync">
        <RunPanel connection={connection} latestRun={runs.data?.pages[0]?.runs[0]} canRun={canRun} />
      </Section>
      <div className="connection-columns">
        <Section title="Streams">
          <StreamsEditor connection={connection} canManage={canManage} />
        </Section>
        <Section title="Schedule">
          <ScheduleEditor key={connection.id} connection={connection} canManage={canManage} />
        </Section>
      </div>
      <Section title="Run history">
        <RunHistory connectionId={connection.id} />
      </Section>
      <div className="connection-columns">
        <Section title="Health">
          <HealthChart connectionId={connection.id} />
        </Section>
        <Section title="Events">
          <EventLog connectionId={connection.id} />
        </Section>
      </div>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
