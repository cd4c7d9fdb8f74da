import type { ConnectionContext, DiscoveredColumn, DiscoveredStream, Discovery } from '../../runtime/hooks.js';
import { openSession, type Session } from './session.js';

/**
 * Lists the tables and views the user may read in the configured schemas, with their columns,
 * primary keys and the columns that can drive an incremental read. Streams are `schema.table`.
 * This is also the whole connection test: it proves the login and the privileges.
 */
export async function discoverTables(context: ConnectionContext): Promise<Discovery> {
  const session = await openSession(context);
  try {
    return { streams: await session.readOnly(() => describeTables(session, schemasOf(context.config))) };
  } finally {
    await session.close();
  }
}

/** The `schemas` config value: a comma-separated list, `public` when empty. */
function schemasOf(config: Record<string, unknown>): string[] {
  const listed = typeof config.schemas === 'string' ? config.schemas.split(',').map((s) => s.trim()).filter(Boolean) : [];
  return listed.length > 0 ? listed : ['public'];
}

interface ColumnRow {
  schema: string;
  table: string;
  description: string | null;
  column: string;
  type: string;
  category: string;
  key_position: number | null;
}

// Tables (plain, partitioned, foreign), views and materialized views; partitions are read through their parent.
// A domain counts as its base type.
const columnsSql = `
  SELECT n.nspname AS schema, c.relname AS table, obj_description(c.oid, 'pg_class') AS description,
         a.attname AS column, coalesce(b.typname, t.typname) AS type, coalesce(b.typcategory, t.typcategory) AS category,
         array_position(i.indkey::int2[], a.attnum) AS key_position
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype
  LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisprimary
  WHERE n.nspname = ANY($1::text[]) AND ($2::text IS NULL OR c.relname = $2)
    AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND NOT c.relispartition
    AND has_table_privilege(c.oid, 'SELECT')
  ORDER BY n.nspname, c.relname, a.attnum`;

/** The readable tables of `schemas` (or just `table`), keyed `schema.table`; run inside a transaction. */
export async function describeTables(session: Session, schemas: string[], table?: string): Promise<Record<string, DiscoveredStream>> {
  const tables = new Map<string, { description?: string; columns: Record<string, DiscoveredColumn>; keys: [number, string][]; cursorCandidates: string[] }>();
  for (const row of await session.query<ColumnRow>(columnsSql, [schemas, table ?? null])) {
    const name = `${row.schema}.${row.table}`;
    const described = tables.get(name) ?? { ...(row.description ? { description: row.description } : {}), columns: {}, keys: [], cursorCandidates: [] };
    tables.set(name, described);
    const type = columnType(row.type, row.category);
    described.columns[row.column] = { type };
    if (row.key_position !== null) described.keys.push([row.key_position, row.column]);
    if (looksLikeCursor(row.column, type)) described.cursorCandidates.push(row.column);
  }
  const streams: Record<string, DiscoveredStream> = {};
  for (const [name, { keys, ...stream }] of tables) {
    const primaryKey = keys.sort(([a], [b]) => a - b).map(([, column]) => column);
    streams[name] = primaryKey.length > 0 ? { ...stream, primaryKey } : stream;
  }
  return streams;
}

const typesByName: Record<string, DiscoveredColumn['type']> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  float4: 'number',
  float8: 'number',
  numeric: 'number',
  bool: 'boolean',
  timestamp: 'timestamp',
  timestamptz: 'timestamp',
  date: 'date',
  json: 'json',
  jsonb: 'json',
};

function columnType(typeName: string, category: string): DiscoveredColumn['type'] {
  // Arrays (category A) arrive as JSON arrays; anything else unknown (enums, uuid, text, money) as text.
  return typesByName[typeName] ?? (category === 'A' ? 'json' : 'string');
}

// updated_at, modified_at, updatedAt, last_modified, lastUpdated, date_modified, changed_on…
const cursorName = /^(?:last)?(?:updated|modified|changed)(?:at|on|date|time|timestamp)?$|^(?:date|time)(?:updated|modified|changed)$/;
const cursorCandidateTypes = new Set<DiscoveredColumn['type']>(['timestamp', 'date', 'integer', 'number']);

function looksLikeCursor(column: string, type: DiscoveredColumn['type']): boolean {
  return cursorCandidateTypes.has(type) && cursorName.test(column.toLowerCase().replaceAll('_', ''));
}
