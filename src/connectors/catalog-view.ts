import fs from 'node:fs';
import { secretsJsonSchema } from './runtime/auth/index.js';
import { configJsonSchema } from './runtime/config-fields.js';
import type { ConnectorDefinition } from './runtime/define.js';
import type { Discovery } from './runtime/hooks.js';

/**
 * What the catalog shows of a definition: enough to pick a connector and fill in its connect
 * form (one JSON Schema per auth method, shaped like the body that creates a connection:
 * `{ config, secrets }`), its streams and actions, and its icon as inline SVG (kept in the
 * repository; nothing is loaded from the internet).
 */
export interface CatalogEntry {
  id: string;
  name: string;
  kind: ConnectorDefinition['kind'];
  category: string;
  description: string;
  docs: string;
  iconSvg: string | null;
  /** A workspace's own definition rather than a built-in. */
  custom: boolean;
  /** Whether connections can be made in sandbox mode (a loopback fake with seeded data). */
  sandbox: boolean;
  /** Whether live connections are allowed on this hub (`TRIBUTARY_<ID>_LIVE`). */
  live: boolean;
  configSchema: Record<string, unknown>;
  authMethods: Array<{ method: string; label: string; formSchema: Record<string, unknown> }>;
  /** The config field chosen after signing in (GA4 properties, ad accounts); null when there is nothing to choose. */
  accountsField: string | null;
  streams: Array<{ name: string; description: string | null; incremental: boolean; primaryKey: string }>;
  actions: Array<{ name: string; description: string; needsApproval: boolean }>;
}

export interface CatalogFilter {
  q?: string;
  kind?: string;
  category?: string;
  auth?: string;
}

const iconCache = new Map<string, string | null>();

function iconOf(definition: ConnectorDefinition): string | null {
  if (!definition.icon) return null;
  if (!iconCache.has(definition.id)) {
    const file = new URL(`./definitions/${definition.id}/${definition.icon}`, import.meta.url);
    iconCache.set(definition.id, fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : null);
  }
  return iconCache.get(definition.id)!;
}

export function toCatalogEntry(definition: ConnectorDefinition, facts: { custom: boolean; sandbox: boolean; live: boolean }): CatalogEntry {
  const configSchema = configJsonSchema(definition);
  return {
    id: definition.id,
    name: definition.name,
    kind: definition.kind,
    category: definition.category,
    description: definition.description,
    docs: definition.docs,
    iconSvg: facts.custom ? null : iconOf(definition),
    ...facts,
    configSchema,
    authMethods: definition.auth.map((a) => ({
      method: a.method,
      label: a.label,
      formSchema: { type: 'object', properties: { config: configSchema, secrets: secretsJsonSchema(a.method) }, required: ['secrets'] },
    })),
    accountsField: definition.hooks?.accounts?.field ?? null,
    streams: Object.entries(definition.streams).map(([name, s]) => ({ name, description: s.description ?? null, incremental: Boolean(s.incremental), primaryKey: s.primaryKey })),
    actions: Object.entries(definition.actions).map(([name, a]) => ({ name, description: a.description, needsApproval: a.needsApproval })),
  };
}

/** Search (name, id, description, category; any case) and exact filters, combined. */
export function searchCatalog(definitions: readonly ConnectorDefinition[], filter: CatalogFilter): ConnectorDefinition[] {
  const q = filter.q?.trim().toLowerCase();
  return definitions.filter(
    (d) =>
      (!q || [d.id, d.name, d.description, d.category].some((text) => text.toLowerCase().includes(q))) &&
      (!filter.kind || d.kind === filter.kind) &&
      (!filter.category || d.category === filter.category) &&
      (!filter.auth || d.auth.some((a) => a.method === filter.auth)),
  );
}

/** A connection's streams: the definition's, or the discovered ones (a database's tables), with the columns found and whether each is selected. */
export interface ConnectionStreamView {
  name: string;
  description: string | null;
  incremental: boolean;
  primaryKey: string | null;
  selected: boolean;
  /** Columns the connector discovered for this account (custom properties, table columns). */
  discoveredColumns: number;
}

export function connectionStreams(definition: ConnectorDefinition, discovery: Discovery | undefined, selected: readonly string[] | null): ConnectionStreamView[] {
  const found = discovery?.streams ?? {};
  const declared = Object.entries(definition.streams).map(([name, s]) => ({
    name,
    description: s.description ?? null,
    incremental: Boolean(s.incremental),
    primaryKey: s.primaryKey,
  }));
  const ownStreams = Object.keys(definition.streams).length === 0;
  const discovered = ownStreams
    ? Object.entries(found).map(([name, s]) => ({
        name,
        description: s.description ?? null,
        incremental: (s.cursorCandidates?.length ?? 0) > 0,
        primaryKey: s.primaryKey?.join(',') ?? null,
      }))
    : [];
  return [...declared, ...discovered].map((stream) => ({
    ...stream,
    selected: selected === null || selected.includes(stream.name),
    discoveredColumns: Object.keys(found[stream.name]?.columns ?? {}).length,
  }));
}
