import { Buffer } from 'node:buffer';
import { GraphQLError } from 'graphql';

/**
 * The server side of Shopify's cursor pagination (https://shopify.dev/docs/api/usage/pagination-graphql)
 * and search syntax (https://shopify.dev/docs/api/usage/search-syntax), for the sandbox's
 * connections: filter by the `query` argument, order by `sortKey` (then id) and `reverse`, and
 * hand out at most `first` (1 to 250) nodes after the `after` cursor. Cursors are what Shopify's
 * decode to, the last node's id and sort value, so a page follows from where the last one ended.
 * The search subset: `field:value` and `field:>value` (also `>=`, `<`, `<=`) on the fields each
 * connection declares, values bare or quoted, terms joined by spaces (AND). A term on another
 * field is ignored with a warning in `extensions.search`, as Shopify answers.
 */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  query?: string | null;
  sortKey?: string;
  reverse?: boolean;
}

export interface ConnectionSpec<T> {
  /** The value each sort key orders by (`UPDATED_AT` → `updatedAt`). */
  sortKeys: Record<string, (node: T) => string>;
  /** The search fields and the value each compares (`updated_at` → `updatedAt`), timestamps compared as instants. */
  searchFields: Record<string, (node: T) => string>;
}

export interface SearchWarning {
  field: string;
  message: string;
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export const maxPageSize = 250;

// The last number of a global id: `…/Order/5800000000001`, or the item of `…/InventoryLevel/70000000000?inventory_item_id=46000000000001`.
const numericId = (node: { id: string }) => Number(/(\d+)\D*$/.exec(node.id)?.[1] ?? 0);

export function connectionOf<T extends { id: string }>(
  all: readonly T[],
  args: ConnectionArgs,
  spec: ConnectionSpec<T>,
  { warn, repeatCursor = false }: { warn: (warning: SearchWarning) => void; repeatCursor?: boolean },
): Connection<T> {
  const first = args.first;
  if (first === undefined || first === null) throw new GraphQLError('you must provide one of first or last');
  if (!Number.isInteger(first) || first < 0 || first > maxPageSize) throw new GraphQLError(`The first argument must be between 0 and ${maxPageSize}.`);
  const sortValue = spec.sortKeys[args.sortKey ?? 'ID'] ?? ((node: T) => String(numericId(node)).padStart(20, '0'));
  const order = (a: T, b: T) => compare(sortValue(a), sortValue(b)) || numericId(a) - numericId(b);
  const direction = args.reverse ? -1 : 1;
  const matching = all.filter(searchPredicate(args.query ?? '', spec, warn)).sort((a, b) => direction * order(a, b));

  let start = 0;
  if (args.after) {
    const last = decodeCursor(args.after);
    start = matching.findIndex((node) => direction * (compare(sortValue(node), last.last_value) || numericId(node) - last.last_id) > 0);
    if (start < 0) start = matching.length;
  }
  const nodes = matching.slice(start, start + first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(numericId(node), sortValue(node)), node }));
  const hasNextPage = start + first < matching.length;
  // A `repeat_cursor` fault hands back the cursor this page was asked with.
  const endCursor = repeatCursor && args.after ? args.after : (edges.at(-1)?.cursor ?? null);
  return { edges, nodes, pageInfo: { hasNextPage, hasPreviousPage: start > 0, startCursor: edges[0]?.cursor ?? null, endCursor } };
}

const term = /(\w+):(>=|<=|>|<)?(?:'([^']*)'|"([^"]*)"|(\S+))/g;

function searchPredicate<T>(query: string, spec: ConnectionSpec<T>, warn: (warning: SearchWarning) => void): (node: T) => boolean {
  const tests: Array<(node: T) => boolean> = [];
  for (const match of query.matchAll(term)) {
    const [, field, op = ':', ...values] = match;
    const read = spec.searchFields[field!];
    if (!read) {
      warn({ field: field!, message: 'Invalid search field for this query.' });
      continue;
    }
    const wanted = values.find((v) => v !== undefined)!;
    tests.push((node) => {
      const order = compare(read(node), wanted);
      return op === '>' ? order > 0 : op === '>=' ? order >= 0 : op === '<' ? order < 0 : op === '<=' ? order <= 0 : order === 0;
    });
  }
  return (node) => tests.every((test) => test(node));
}

/** Timestamps as instants (a date alone is its first instant, UTC), anything else as text. */
function compare(a: string, b: string): number {
  const [x, y] = [Date.parse(a), Date.parse(b)];
  if (/^\d{4}-\d{2}-\d{2}/.test(a) && /^\d{4}-\d{2}-\d{2}/.test(b) && Number.isFinite(x) && Number.isFinite(y)) return Math.sign(x - y);
  return a < b ? -1 : a > b ? 1 : 0;
}

function encodeCursor(lastId: number, lastValue: string): string {
  return Buffer.from(JSON.stringify({ last_id: lastId, last_value: lastValue })).toString('base64');
}

function decodeCursor(cursor: string): { last_id: number; last_value: string } {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { last_id?: unknown; last_value?: unknown };
    if (typeof decoded.last_id === 'number' && typeof decoded.last_value === 'string') return { last_id: decoded.last_id, last_value: decoded.last_value };
  } catch {
    // Answered below, as Shopify does for any cursor it did not issue.
  }
  throw new GraphQLError('Invalid cursor for current pagination sort.');
}
