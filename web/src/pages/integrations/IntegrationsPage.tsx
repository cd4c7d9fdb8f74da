import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useLocation, useSearchParams } from 'wouter';
import { hasRole, useMe } from '../../auth/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { ConnectWizard } from '../connect/ConnectWizard';
import { CustomConnectorEditor } from '../connect/CustomConnectorEditor';
import { SignInReturn } from '../connect/SignInReturn';
import { categoryLabel, connectionMatches, isFiltered, kindTabs, noFilter, useConnections, useConnectors, type CatalogFilter, type Connector } from './catalog';
import { ConnectionCard, ConnectorCard } from './IntegrationCards';

/**
 * The workspace's integrations: what is connected and how it is doing, and the catalog to connect
 * more from. One search and filter covers both. Admins connect (the wizard), and add their own REST
 * connectors; everyone else reads. An OAuth sign-in comes back here (`?connection=…&oauth=…`).
 */
export function IntegrationsPage() {
  const me = useMe().data;
  const canConnect = hasRole(me, 'admin');
  const [filter, setFilter] = useState<CatalogFilter>(noFilter);
  const everything = useConnectors();
  const available = useConnectors(filter);
  const connections = useConnections();
  const [connecting, setConnecting] = useState<Connector | null>(null);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [params] = useSearchParams();
  const [, navigate] = useLocation();
  const catalogHeading = useRef<HTMLHeadingElement>(null);
  const queries = useQueryClient();

  const byId = new Map((everything.data ?? []).map((c) => [c.id, c]));
  const categories = [...new Set((everything.data ?? []).map((c) => c.category))].sort();
  const shown = (connections.data ?? []).filter((c) => connectionMatches(c, byId.get(c.connectorId), filter));
  const returnedId = params.get('connection');

  const done = (message: string) => {
    setNotice(message);
    void queries.invalidateQueries({ queryKey: ['connections'] });
  };

  return (
    <>
      <div className="spread">
        <PageHeading>Integrations</PageHeading>
        {canConnect ? (
          <button type="button" onClick={() => setEditing(true)}>
            New custom connector
          </button>
        ) : null}
      </div>
      <p className="muted page-intro">The systems this workspace reads from. Connect one from the catalog, test it, and it syncs on its schedule.</p>
      {!canConnect && me ? <p className="notice">Your role ({me.role}) can look but not connect: ask an admin of this workspace to connect integrations.</p> : null}
      {/* Always present, so what is put in it is announced. */}
      <div role="status">{notice ? <p className="notice">{notice}</p> : null}</div>
      <IntegrationFilters filter={filter} categories={categories} onChange={setFilter} />

      <section aria-labelledby="connected-heading">
        <h2 id="connected-heading">Connected{connections.data ? <span className="count"> ({shown.length})</span> : null}</h2>
        {connections.isPending ? (
          <Loading label="Loading your connections" />
        ) : connections.error ? (
          <ErrorMessage error={connections.error} title="Your connections could not be loaded." />
        ) : connections.data.length === 0 ? (
          <div className="card empty">
            <p>Nothing is connected yet.</p>
            <p>Pick an integration from the catalog below: every one can be tried in sandbox mode with seeded test data first.</p>
            <button type="button" className="primary" onClick={() => catalogHeading.current?.focus()}>
              Browse the catalog
            </button>
          </div>
        ) : shown.length === 0 ? (
          <p className="empty">No connected integration matches this search.</p>
        ) : (
          <div className="grid">
            {shown.map((c) => (
              <ConnectionCard key={c.id} connection={c} connector={byId.get(c.connectorId)} />
            ))}
          </div>
        )}
      </section>

      <section aria-labelledby="available-heading">
        <h2 id="available-heading" ref={catalogHeading} tabIndex={-1}>
          Available{available.data ? <span className="count"> ({available.data.length})</span> : null}
        </h2>
        {available.isPending ? (
          <Loading label="Loading the catalog" />
        ) : available.error ? (
          <ErrorMessage error={available.error} title="The catalog could not be loaded." />
        ) : available.data.length === 0 ? (
          <div className="empty">
            <p>No integration matches this search.</p>
            {isFiltered(filter) ? (
              <button type="button" onClick={() => setFilter(noFilter)}>
                Clear the search and filters
              </button>
            ) : null}
          </div>
        ) : (
          <div className="grid" aria-busy={available.isPlaceholderData}>
            {available.data.map((c) => (
              <ConnectorCard key={c.id} connector={c} {...(canConnect ? { onConnect: setConnecting } : {})} />
            ))}
          </div>
        )}
      </section>

      {connecting ? (
        <ConnectWizard
          connector={connecting}
          onClose={() => setConnecting(null)}
          onSaved={(connection) => {
            setConnecting(null);
            done(connection.status === 'connected' ? `${connection.name} is connected.` : `${connection.name} is saved, but its test failed: the error is on its card.`);
          }}
        />
      ) : null}
      {editing ? (
        <CustomConnectorEditor
          onClose={() => setEditing(false)}
          onSaved={(connector) => {
            setEditing(false);
            setNotice(`${connector.name} is in the catalog: connect it from Available.`);
            void queries.invalidateQueries({ queryKey: ['connectors'] });
          }}
        />
      ) : null}
      {returnedId ? (
        <SignInReturn
          connectionId={returnedId}
          signedIn={params.get('oauth') === 'connected'}
          onClose={(message) => {
            navigate('/integrations', { replace: true });
            if (message) done(message);
          }}
        />
      ) : null}
    </>
  );
}

/** Search, kind tabs and category: one filter over both sections of the page. */
function IntegrationFilters({ filter, categories, onChange }: { filter: CatalogFilter; categories: string[]; onChange: (filter: CatalogFilter) => void }) {
  return (
    <div className="integration-filters" role="search" aria-label="Integrations">
      <label className="integration-search">
        Search integrations
        <input type="search" value={filter.q} onChange={(e) => onChange({ ...filter, q: e.target.value })} placeholder="HubSpot, analytics, CRM…" autoComplete="off" />
      </label>
      <div className="row integration-filter-row">
        <div className="kind-tabs" role="group" aria-label="Kind">
          {kindTabs.map((tab) => (
            <button key={tab.label} type="button" aria-pressed={filter.kind === tab.kind} onClick={() => onChange({ ...filter, kind: tab.kind })}>
              {tab.label}
            </button>
          ))}
        </div>
        <label className="inline">
          Category
          <select value={filter.category ?? ''} onChange={(e) => onChange({ ...filter, category: e.target.value || null })}>
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(c)}
              </option>
            ))}
          </select>
        </label>
      </div>
    </div>
  );
}
