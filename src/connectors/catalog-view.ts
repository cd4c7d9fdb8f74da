import fs from 'node:fs';
import { secretsJsonSchema } from './runtime/auth/index.js';
import type { ConnectorDefinition } from './runtime/define.js';

/**
 * What the catalog shows of a definition: enough to pick a connector and fill in its connect
 * form (one JSON Schema per auth method), its streams and actions, and its icon as inline SVG
 * (kept in the repository; nothing is loaded from the internet).
 */
export interface CatalogEntry {
  id: string;
  name: string;
  kind: ConnectorDefinition['kind'];
  category: string;
  description: string;
  docs: string;
  iconSvg: string | null;
  authMethods: Array<{ method: string; label: string; formSchema: Record<string, unknown> }>;
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

export function toCatalogEntry(definition: ConnectorDefinition): CatalogEntry {
  return {
    id: definition.id,
    name: definition.name,
    kind: definition.kind,
    category: definition.category,
    description: definition.description,
    docs: definition.docs,
    iconSvg: iconOf(definition),
    authMethods: definition.auth.map((a) => ({ method: a.method, label: a.label, formSchema: secretsJsonSchema(a.method) })),
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
