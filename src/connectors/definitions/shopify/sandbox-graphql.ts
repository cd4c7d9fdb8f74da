import { executeSync, getOperationAST, getVariableValues, GraphQLError, Kind, parse, responsePathAsArray, validate, type FragmentDefinitionNode, type GraphQLResolveInfo } from 'graphql';
import { connectionOf, type ConnectionArgs, type ConnectionSpec, type SearchWarning } from './sandbox-connections.js';
import { maxQueryCost, queryCosts, type LeakyBucket } from './sandbox-cost.js';
import { adminSchema } from './sandbox-schema.js';
import { sandboxShop, type SandboxLevel, type SandboxLocation, type SandboxOrder, type SandboxProduct, type SandboxShopData } from './sandbox-store.js';

/**
 * Answers one Admin API request (`{ query, variables, operationName }`) as Shopify does, with HTTP
 * 200 whatever the outcome: a query that does not parse or fit the schema gets graphql-js's
 * `errors`; one costing over 1,000 `MAX_COST_EXCEEDED`; one the bucket cannot pay for `THROTTLED`
 * and no data; any other runs, and pays its actual cost. Every answer that was costed carries
 * `extensions.cost`. Docs: https://shopify.dev/docs/api/usage/response-codes,
 * https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits#cost-calculation.
 */
export interface GraphqlRequest {
  query: string;
  variables?: unknown;
  operationName?: unknown;
}

const rateLimitDocs = 'https://shopify.dev/api/usage/rate-limits';
const quantityNames = ['available', 'committed', 'damaged', 'incoming', 'on_hand', 'quality_control', 'reserved', 'safety_stock'];

const orderSpec: ConnectionSpec<SandboxOrder> = {
  sortKeys: { CREATED_AT: (o) => o.createdAt, PROCESSED_AT: (o) => o.processedAt, UPDATED_AT: (o) => o.updatedAt },
  searchFields: { created_at: (o) => o.createdAt, processed_at: (o) => o.processedAt, updated_at: (o) => o.updatedAt },
};
const productSpec: ConnectionSpec<SandboxProduct> = {
  sortKeys: { CREATED_AT: (p) => p.createdAt, TITLE: (p) => p.title, UPDATED_AT: (p) => p.updatedAt },
  searchFields: { created_at: (p) => p.createdAt, updated_at: (p) => p.updatedAt, status: (p) => p.status.toLowerCase(), vendor: (p) => p.vendor },
};
const locationSpec: ConnectionSpec<SandboxLocation> = { sortKeys: { NAME: (l) => l.name }, searchFields: { name: (l) => l.name } };
const levelSpec: ConnectionSpec<SandboxLevel> = { sortKeys: {}, searchFields: { updated_at: (l) => l.updatedAt } };

interface Answer {
  errors?: unknown[];
  data?: unknown;
  extensions?: Record<string, unknown>;
}

export interface AnswerOptions {
  /** The access scopes of the request's token. */
  scopes: readonly string[];
  /** A `repeat_cursor` fault is due (see `RouteContext.repeatCursor`). */
  repeatCursor?: boolean;
}

export function answerGraphql(request: GraphqlRequest, shop: SandboxShopData, bucket: LeakyBucket, { scopes, repeatCursor = false }: AnswerOptions): Answer {
  let document;
  try {
    document = parse(request.query);
  } catch (error) {
    return { errors: [(error as GraphQLError).toJSON()] };
  }
  const invalid = validate(adminSchema, document);
  if (invalid.length > 0) return { errors: invalid.map((e) => e.toJSON()) };
  const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
  const operation = getOperationAST(document, operationName);
  if (!operation) return { errors: [{ message: 'An operation name is required when the document holds several operations.' }] };
  const rawVariables = (typeof request.variables === 'object' && request.variables !== null ? request.variables : {}) as Record<string, unknown>;
  const variables = getVariableValues(adminSchema, operation.variableDefinitions ?? [], rawVariables);
  if (variables.errors) return { errors: variables.errors.map((e) => e.toJSON()) };

  const fragments = Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const costs = queryCosts(adminSchema.getQueryType()!, operation, fragments, variables.coerced);
  if (costs.requested > maxQueryCost) {
    const message = `Query cost is ${costs.requested}, which exceeds the single query max cost limit (${maxQueryCost}).`;
    return { errors: [{ message, extensions: { code: 'MAX_COST_EXCEEDED', cost: costs.requested, maxCost: maxQueryCost, documentation: rateLimitDocs } }] };
  }
  if (!bucket.holds(costs.requested)) {
    const cost = { requestedQueryCost: costs.requested, actualQueryCost: null, throttleStatus: bucket.status() };
    return { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: rateLimitDocs } }], extensions: { cost } };
  }
  const search: Array<{ path: Array<string | number>; query: string; warnings: SearchWarning[] }> = [];
  const result = executeSync({ schema: adminSchema, document, operationName, variableValues: rawVariables, rootValue: rootOf(shop, { scopes, repeatCursor, search }) });
  const actualQueryCost = costs.actual(result.data);
  bucket.spend(actualQueryCost);
  const cost = { requestedQueryCost: costs.requested, actualQueryCost, throttleStatus: bucket.status() };
  return {
    ...(result.errors && { errors: result.errors.map((e) => e.toJSON()) }),
    data: result.data,
    extensions: { cost, ...(search.length > 0 && { search }) },
  };
}

interface ResolveContext {
  scopes: readonly string[];
  repeatCursor: boolean;
  search: Array<{ path: Array<string | number>; query: string; warnings: SearchWarning[] }>;
}

/** Shopify's answer to a field the token's scopes do not reach (https://shopify.dev/docs/api/usage/access-scopes). */
function accessDenied(field: string, scope: string): GraphQLError {
  const requiredAccess = `\`${scope}\` access scope.`;
  return new GraphQLError(`Access denied for ${field} field. Required access: ${requiredAccess}`, {
    extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/api/usage/access-scopes', requiredAccess },
  });
}

/** The query root's resolvers: graphql-js calls a function property with (args, context, info). */
function rootOf(shop: SandboxShopData, context: ResolveContext) {
  const needs = (field: string, scope: string) => {
    if (!context.scopes.includes(scope)) throw accessDenied(field, scope);
  };
  /** A connection field: checks the scope, pages the list, and shows each node as `view` makes it. */
  const page =
    <T extends { id: string }>(list: () => readonly T[], spec: ConnectionSpec<T>, [field, scope]: [string, string], view: (node: T) => unknown = (node) => node) =>
    (args: ConnectionArgs, _context: unknown, info: GraphQLResolveInfo) => {
      needs(field, scope);
      const { edges, pageInfo } = connectionOf(list(), args, spec, {
        repeatCursor: context.repeatCursor,
        warn: (warning) => context.search.push({ path: responsePathAsArray(info.path), query: args.query ?? '', warnings: [warning] }),
      });
      const shown = edges.map(({ cursor, node }) => ({ cursor, node: view(node) }));
      return { edges: shown, nodes: shown.map((edge) => edge.node), pageInfo };
    };
  // A location's id needs read_inventory or read_locations; its other fields read_locations.
  const location = (found: SandboxLocation) => ({
    id: found.id,
    name: () => (needs('name', 'read_locations'), found.name),
    isActive: () => (needs('isActive', 'read_locations'), found.isActive),
    inventoryLevels: page(() => found.levels, levelSpec, ['inventoryLevels', 'read_inventory'], (level) => inventoryLevel(level, found)),
  });
  const inventoryLevel = (level: SandboxLevel, at: SandboxLocation) => ({
    ...level,
    location: () => location(at),
    quantities: ({ names }: { names: string[] }) =>
      names.map((name) => {
        if (!quantityNames.includes(name)) throw new GraphQLError(`The quantity name "${name}" is not valid. Valid names: ${quantityNames.join(', ')}.`);
        const quantity = name === 'committed' ? level.quantities.on_hand! - level.quantities.available! : (level.quantities[name] ?? 0);
        return { name, quantity };
      }),
  });
  return {
    shop: sandboxShop,
    orders: page(() => shop.orders, orderSpec, ['orders', 'read_orders']),
    products: page(() => shop.products, productSpec, ['products', 'read_products']),
    locations: (args: ConnectionArgs & { includeInactive?: boolean }, c: unknown, info: GraphQLResolveInfo) =>
      page(() => shop.locations.filter((l) => l.isActive || args.includeInactive), locationSpec, ['locations', 'read_locations'], location)(args, c, info),
    location: ({ id }: { id?: string }) => {
      if (!context.scopes.includes('read_inventory')) needs('location', 'read_locations');
      const found = id === undefined ? shop.locations[0] : shop.locations.find((l) => l.id === id);
      return found ? location(found) : null;
    },
  };
}
