import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';

/** The catalog and the workspace's connections as the integrations page and the connect wizard read them. */
export type Connector = Schemas['Connector'];
export type Connection = Schemas['Connection'];
export type ConnectorKind = Connector['kind'];

export const kindLabels: Record<ConnectorKind, string> = {
  api: 'Vendor API',
  mcp: 'MCP',
  database: 'Database',
  workflow: 'Workflow',
  agent: 'Agent',
  custom: 'Custom',
};

export function kindLabel(kind: string): string {
  return (kindLabels as Record<string, string | undefined>)[kind] ?? kind;
}

/** The filter tabs; agents are listed under All only. */
export const kindTabs: Array<{ kind: ConnectorKind | null; label: string }> = [
  { kind: null, label: 'All' },
  ...(['api', 'mcp', 'database', 'workflow', 'custom'] as const).map((kind) => ({ kind, label: kindLabels[kind] })),
];

const acronyms: Record<string, string> = { crm: 'CRM', api: 'API' };

/** A catalog category (`crm`, `ecommerce`) as a word for people. */
export function categoryLabel(category: string): string {
  return acronyms[category] ?? category.charAt(0).toUpperCase() + category.slice(1);
}

/** What the account step chooses, in the connector's words ("GA4 properties"); null when there is nothing to choose. */
export function accountsTitleOf(connector: Connector): string | null {
  if (!connector.accountsField) return null;
  const properties = (connector.configSchema as { properties?: Record<string, { title?: string }> }).properties;
  return properties?.[connector.accountsField]?.title ?? 'accounts';
}

export interface CatalogFilter {
  q: string;
  kind: ConnectorKind | null;
  category: string | null;
}

export const noFilter: CatalogFilter = { q: '', kind: null, category: null };

export function isFiltered(filter: CatalogFilter): boolean {
  return filter.q.trim() !== '' || filter.kind !== null || filter.category !== null;
}

/** The catalog, searched and filtered by the API (`GET /connectors?q&kind&category`). */
export function useConnectors(filter: CatalogFilter = noFilter) {
  const query = {
    ...(filter.q.trim() ? { q: filter.q.trim() } : {}),
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.category ? { category: filter.category } : {}),
  };
  return useQuery({
    queryKey: ['connectors', query],
    queryFn: async () => (await unwrap(api.GET('/api/v1/connectors', { params: { query } }))).connectors,
    // While a new search is asked, the last answer stays on screen instead of a loading line.
    placeholderData: keepPreviousData,
  });
}

export function useConnector(id: string | undefined) {
  return useQuery({
    queryKey: ['connector', id],
    queryFn: () => unwrap(api.GET('/api/v1/connectors/{id}', { params: { path: { id: id! } } })),
    enabled: id !== undefined,
  });
}

export function useConnections() {
  return useQuery({
    queryKey: ['connections'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/connections'))).connections,
  });
}

/**
 * The API's catalog search, applied to a connection: its own name, and its connector's id, name,
 * description and category, in any case; kind and category exactly.
 */
export function connectionMatches(connection: Connection, connector: Connector | undefined, filter: CatalogFilter): boolean {
  const q = filter.q.trim().toLowerCase();
  const texts = [connection.name, connection.connectorId, connection.connectorName, connector?.description ?? '', connector?.category ?? ''];
  return (
    (!q || texts.some((text) => text.toLowerCase().includes(q))) &&
    (!filter.kind || connection.kind === filter.kind) &&
    (!filter.category || connector?.category === filter.category)
  );
}
