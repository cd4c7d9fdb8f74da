import { errorCatalog, TributaryError, type ErrorCode } from '../../../domain/errors.js';
import { classifyGraphqlErrors, graphqlErrorCodes } from '../../runtime/classify.js';
import type { ConnectionContext } from '../../runtime/hooks.js';
import { SeenCursors } from '../../runtime/paginators/seen-cursors.js';
import { readPath } from '../../runtime/select.js';
import { graphqlPath, pageSize, type GraphqlQuery } from './queries.js';
import { QueryCostBudget, type QueryCost } from './query-cost-budget.js';

/**
 * Sends the connector's GraphQL queries through the runtime (`context.send`: auth, retries, and the
 * classification of HTTP statuses: 401, 402 for a frozen shop, 423 for a locked one, 429, 5xx) and
 * reads what Shopify says inside a 200: `errors` are classified by `classify.ts`, a `THROTTLED`
 * answer is waited out and sent again (bounded), and `extensions.cost` paces the next query.
 * Docs: https://shopify.dev/docs/api/usage/response-codes, https://shopify.dev/docs/api/usage/limits.
 */
const maxThrottledAttempts = 5;
/** Shopify reports the bucket with every answer; should a throttled one lack it, a second's wait. */
const throttledWithoutCostMs = 1_000;

interface GraphqlAnswer {
  data?: unknown;
  errors?: unknown;
  extensions?: { cost?: QueryCost };
}

export interface GraphqlResult {
  data: unknown;
  bytes: number;
}

export type GraphqlSend = (query: GraphqlQuery, variables: Record<string, unknown>) => Promise<GraphqlResult>;

/** A sender with its own cost budget: one per stream read. */
export function graphqlSender(context: ConnectionContext): GraphqlSend {
  const budget = new QueryCostBudget(context.clock);
  // What each query asked of the bucket the last time it ran: every page of it costs the same.
  const requested = new Map<string, number>();
  return async (query, variables) => {
    for (let attempt = 1; ; attempt++) {
      await budget.waitFor(requested.get(query.operation), context.signal);
      const response = await context.send({ method: 'POST', path: graphqlPath, body: { query: query.text, variables } });
      const answer = response.body as GraphqlAnswer | null;
      if (typeof answer !== 'object' || answer === null) throw shapeError(query, 'the answer is not a GraphQL response');
      const cost = answer.extensions?.cost;
      if (cost?.throttleStatus) {
        budget.observe(cost.throttleStatus);
        requested.set(query.operation, cost.requestedQueryCost);
      }
      if (answer.errors === undefined || (Array.isArray(answer.errors) && answer.errors.length === 0)) return { data: answer.data, bytes: response.bytes };
      const errors = Array.isArray(answer.errors) ? answer.errors : [answer.errors];
      const verdict = classifyGraphqlErrors(errors);
      if (verdict.action !== 'wait' || attempt >= maxThrottledAttempts) throw graphqlError(query, verdict.code, errors, attempt);
      if (!cost?.throttleStatus) await context.clock.sleep(throttledWithoutCostMs, context.signal);
    }
  };
}

/**
 * Every page of a query's connection, `first: 250` and `after` the last page's `endCursor`, until
 * `hasNextPage` is false. A cursor Shopify already sent stops the read instead of looping.
 */
export async function* graphqlPages(send: GraphqlSend, query: GraphqlQuery, variables: Record<string, unknown> = {}): AsyncGenerator<{ nodes: unknown[]; bytes: number }> {
  const seen = new SeenCursors('GraphQL cursor');
  let after: string | null = null;
  for (;;) {
    const { data, bytes } = await send(query, { ...variables, first: pageSize, after });
    const connection = readPath(data, query.connection.join('.')) as { nodes?: unknown; pageInfo?: { hasNextPage?: unknown; endCursor?: unknown } } | null | undefined;
    if (!connection || !Array.isArray(connection.nodes) || typeof connection.pageInfo?.hasNextPage !== 'boolean') {
      throw shapeError(query, `data.${query.connection.join('.')} is not a connection with nodes and pageInfo`);
    }
    yield { nodes: connection.nodes, bytes };
    if (!connection.pageInfo.hasNextPage) return;
    const next = connection.pageInfo.endCursor;
    if (typeof next !== 'string' || next === '') throw shapeError(query, 'pageInfo says more pages follow but has no endCursor');
    seen.check(after ?? undefined, next);
    after = next;
  }
}

/** Names the operation and Shopify's error codes (never their messages, which may quote the query's values). */
function graphqlError(query: GraphqlQuery, code: ErrorCode, errors: unknown[], attempts: number): TributaryError {
  const codes = graphqlErrorCodes(errors).filter((c) => /^[A-Za-z_]{1,40}$/.test(c));
  const answered = codes.length > 0 ? [...new Set(codes)].join(', ') : 'GraphQL errors';
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  return new TributaryError(code, `Shopify: the ${query.operation} query answered ${answered}${tries}. ${errorCatalog[code].hint}`, { details: { codes, attempts } });
}

function shapeError(query: GraphqlQuery, what: string): TributaryError {
  return new TributaryError('invalid_response', `Shopify: the ${query.operation} query's answer did not have the documented shape (${what}).`);
}
