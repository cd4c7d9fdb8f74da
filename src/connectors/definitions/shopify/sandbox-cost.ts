import {
  getArgumentValues,
  getNamedType,
  isObjectType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type FieldNode,
} from 'graphql';

/**
 * Shopify's calculated query cost and its leaky bucket, for the sandbox
 * (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits#cost-calculation,
 * https://shopify.dev/docs/api/usage/limits#the-leaky-bucket-algorithm). A scalar or enum costs 0,
 * an object (or a list of objects) 1 plus its fields, a connection 2 plus `first` times its node's
 * cost. The requested cost is reckoned from the query before it runs; the actual cost from the
 * answer, each connection counted for the nodes it returned. A query runs only when the bucket
 * holds its requested cost, and the bucket gives up its actual cost.
 */
export interface BucketOptions {
  maximumAvailable?: number;
  restoreRate?: number;
  /** Points in the bucket when the sandbox starts; full when left out. */
  initiallyAvailable?: number;
  now?: () => number;
}

export const maxQueryCost = 1_000;

export class LeakyBucket {
  readonly maximumAvailable: number;
  readonly restoreRate: number;
  readonly #now: () => number;
  #available: number;
  #at: number;

  constructor({ maximumAvailable = 1_000, restoreRate = 50, initiallyAvailable, now = Date.now }: BucketOptions = {}) {
    this.maximumAvailable = maximumAvailable;
    this.restoreRate = restoreRate;
    this.#now = now;
    this.#available = initiallyAvailable ?? maximumAvailable;
    this.#at = now();
  }

  get currentlyAvailable(): number {
    const now = this.#now();
    // Points times milliseconds over 1,000: exact for whole milliseconds.
    this.#available = Math.min(this.maximumAvailable, this.#available + ((now - this.#at) * this.restoreRate) / 1_000);
    this.#at = now;
    return this.#available;
  }

  /** Whether a query requesting `points` may run now. */
  holds(points: number): boolean {
    return this.currentlyAvailable >= points;
  }

  /** What a query that ran costs the bucket: its actual cost, the requested one having been only held. */
  spend(points: number): void {
    this.#available = this.currentlyAvailable - points;
  }

  status() {
    return { maximumAvailable: this.maximumAvailable, currentlyAvailable: this.currentlyAvailable, restoreRate: this.restoreRate };
  }
}

interface Walk {
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/** The fields of a selection set, fragments spread in (the sandbox's schema has object types only). */
function fieldsOf(set: SelectionSetNode | undefined, walk: Walk): FieldNode[] {
  return (set?.selections ?? []).flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet, walk);
    return fieldsOf(walk.fragments[selection.name.value]?.selectionSet, walk);
  });
}

const isConnection = (type: GraphQLObjectType) => type.name.endsWith('Connection');

/** The node type and the node fields a connection's selection asks for, through `nodes` and `edges.node`. */
function nodeSelections(connection: GraphQLObjectType, field: FieldNode, walk: Walk): { type: GraphQLObjectType; fields: FieldNode[] } {
  const nodeType = getNamedType(connection.getFields().nodes!.type) as GraphQLObjectType;
  const fields = fieldsOf(field.selectionSet, walk).flatMap((child) => {
    if (child.name.value === 'nodes') return fieldsOf(child.selectionSet, walk);
    if (child.name.value === 'edges') return fieldsOf(child.selectionSet, walk).filter((f) => f.name.value === 'node').flatMap((node) => fieldsOf(node.selectionSet, walk));
    return [];
  });
  return { type: nodeType, fields };
}

function requested(type: GraphQLObjectType, fields: FieldNode[], walk: Walk): number {
  let cost = 0;
  for (const field of fields) {
    const definition = type.getFields()[field.name.value];
    const named = definition && getNamedType(definition.type);
    if (!definition || !isObjectType(named)) continue;
    if (isConnection(named)) {
      const { first } = getArgumentValues(definition, field, walk.variables) as { first?: number };
      const node = nodeSelections(named, field, walk);
      cost += 2 + (first ?? 0) * (1 + requested(node.type, node.fields, walk));
    } else cost += 1 + requested(named, fieldsOf(field.selectionSet, walk), walk);
  }
  return cost;
}

function actual(type: GraphQLObjectType, fields: FieldNode[], data: unknown, walk: Walk): number {
  if (typeof data !== 'object' || data === null) return 0;
  let cost = 0;
  for (const field of fields) {
    const definition = type.getFields()[field.name.value];
    const named = definition && getNamedType(definition.type);
    const value = (data as Record<string, unknown>)[field.alias?.value ?? field.name.value];
    if (!definition || !isObjectType(named) || value === null || value === undefined) continue;
    if (isConnection(named)) {
      const node = nodeSelections(named, field, walk);
      const { nodes = [], edges = [] } = value as { nodes?: unknown[]; edges?: Array<{ node: unknown }> };
      const returned = nodes.length > 0 ? nodes : edges.map((edge) => edge.node);
      cost += 2 + returned.reduce<number>((sum, n) => sum + 1 + actual(node.type, node.fields, n, walk), 0);
    } else {
      const first = Array.isArray(value) ? value[0] : value;
      cost += 1 + actual(named, fieldsOf(field.selectionSet, walk), first, walk);
    }
  }
  return cost;
}

export function queryCosts(root: GraphQLObjectType, operation: OperationDefinitionNode, fragments: Walk['fragments'], variables: Record<string, unknown>) {
  const walk = { fragments, variables };
  const fields = fieldsOf(operation.selectionSet, walk);
  return { requested: requested(root, fields, walk), actual: (data: unknown) => actual(root, fields, data, walk) };
}
