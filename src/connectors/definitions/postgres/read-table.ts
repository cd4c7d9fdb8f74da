import { TributaryError } from '../../../domain/errors.js';
import { IncrementalCursor } from '../../runtime/cursor.js';
import type { ConnectionContext, DiscoveredColumn, DiscoveredStream, StreamReadContext } from '../../runtime/hooks.js';
import type { RecordBatch } from '../../runtime/read-stream.js';
import { describeTables } from './discover.js';
import { quoteIdentifier } from '../../../domain/sql-text.js';
import { openSession, type Session } from './session.js';

/**
 * Reads one table (`schema.table`) as batches of `pageSize` rows, holding one page in memory.
 * A table with a primary key is read by keyset pagination, each page its own short transaction,
 * so a long read never holds a snapshot on the user's server; one without (a view) through a
 * server-side cursor in one transaction. With a cursor field and a saved state, only rows with
 * `cursorField >= state` are read, in (cursor field, primary key) order; with a cursor field but
 * no state the read is a full one that still tracks the highest value.
 */
export const pageSize = 1_000;

type Row = Record<string, unknown>;

export async function* readTable(streamName: string, context: ConnectionContext & StreamReadContext): AsyncGenerator<RecordBatch> {
  const session = await openSession(context);
  try {
    const table = await session.readOnly(() => tableNamed(session, streamName));
    const cursorField = context.cursorField === undefined ? undefined : checkedCursorField(table, context.cursorField);
    const cursor = cursorField === undefined ? undefined : new IncrementalCursor({ field: cursorField }, context.state);
    const since = cursor?.startFrom();
    const plan: ReadPlan = {
      from: `${quoteIdentifier(table.schema)}.${quoteIdentifier(table.name)}`,
      lowerBound: cursorField !== undefined && since !== undefined ? { column: cursorField, value: since } : undefined,
    };
    const pages = table.primaryKey ? keysetPages(session, plan, table.primaryKey) : cursorPages(session, plan);
    let page = 0;
    for await (const records of pages) {
      page += 1;
      if (cursor) for (const record of records) cursor.observe(record);
      yield { records, page, bytes: Buffer.byteLength(JSON.stringify(records)), cursor: cursor?.value, ordered: plan.lowerBound !== undefined };
      if (page >= (context.maxPages ?? Infinity)) return;
    }
  } finally {
    await session.close();
  }
}

interface Table extends DiscoveredStream {
  schema: string;
  name: string;
}

/** The table a stream names (`schema.table`, or a table of `public`), as the catalog describes it now. */
async function tableNamed(session: Session, streamName: string): Promise<Table> {
  const dot = streamName.indexOf('.');
  const [schema, name] = dot < 0 ? ['public', streamName] : [streamName.slice(0, dot), streamName.slice(dot + 1)];
  const described = Object.values(await describeTables(session, [schema], name))[0];
  if (!described) {
    throw new TributaryError('vendor_not_found', `Postgres has no table "${streamName}" that this user may read; test the connection again to refresh the list of tables.`, {
      details: { stream: streamName },
    });
  }
  return { ...described, schema, name };
}

const orderableTypes = new Set<DiscoveredColumn['type']>(['timestamp', 'date', 'integer', 'number', 'string']);

function checkedCursorField(table: Table, field: string): string {
  const column = table.columns[field];
  if (!column || !orderableTypes.has(column.type)) {
    throw new TributaryError('invalid_config', `The cursor field "${field}" is not a column of ${table.schema}.${table.name} that can be ordered; choose one of its timestamp or number columns.`, {
      details: { field: 'cursorField' },
    });
  }
  return field;
}

interface ReadPlan {
  /** The quoted `"schema"."table"`. */
  from: string;
  lowerBound: { column: string; value: string } | undefined;
}

/** Pages ordered by (lower-bound column, primary key), each starting after the last row of the one before. */
async function* keysetPages(session: Session, plan: ReadPlan, primaryKey: string[]): AsyncGenerator<Row[]> {
  const order = plan.lowerBound ? [plan.lowerBound.column, ...primaryKey.filter((c) => c !== plan.lowerBound?.column)] : primaryKey;
  const orderBy = order.map(quoteIdentifier).join(', ');
  let after: unknown[] | undefined;
  for (let page = 1; ; page++) {
    const { where, params } = conditions(plan, after && { columns: orderBy, values: after });
    const rows = await session.readOnly(() => session.query(`SELECT * FROM ${plan.from}${where} ORDER BY ${orderBy} LIMIT ${pageSize}`, params));
    if (rows.length > 0 || page === 1) yield rows;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = order.map((column) => last[column]);
  }
}

/** Pages fetched from one server-side cursor, for a table or view without a primary key. */
async function* cursorPages(session: Session, plan: ReadPlan): AsyncGenerator<Row[]> {
  const { where, params } = conditions(plan, undefined);
  const orderBy = plan.lowerBound ? ` ORDER BY ${quoteIdentifier(plan.lowerBound.column)}` : '';
  await session.begin();
  await session.query(`DECLARE tributary_read NO SCROLL CURSOR FOR SELECT * FROM ${plan.from}${where}${orderBy}`, params);
  for (let page = 1; ; page++) {
    const rows = await session.query(`FETCH ${pageSize} FROM tributary_read`);
    if (rows.length > 0 || page === 1) yield rows;
    if (rows.length < pageSize) break;
  }
  await session.commit();
}

/** The WHERE clause: the incremental lower bound, and the keyset position; values only as parameters. */
function conditions(plan: ReadPlan, after: { columns: string; values: unknown[] } | undefined): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const parts: string[] = [];
  if (plan.lowerBound) {
    params.push(plan.lowerBound.value);
    parts.push(`${quoteIdentifier(plan.lowerBound.column)} >= $1`);
  }
  if (after) {
    const placeholders = after.values.map((value) => `$${params.push(value)}`);
    parts.push(`(${after.columns}) > (${placeholders.join(', ')})`);
  }
  return { where: parts.length > 0 ? ` WHERE ${parts.join(' AND ')}` : '', params };
}
