import '../../domain/validation-messages.js';
import { z } from 'zod';
import { authConfig } from './auth/index.js';
import { parseDuration } from './cursor.js';
import { paginatorConfigSchema } from './paginators/index.js';
import type { ConnectorHooks } from './hooks.js';
import { mappingIssues, metricsMappingSchema } from './metrics-mapping.js';
import { dottedPathSchema } from './select.js';

/**
 * What a connector is, as data: one zod schema that built-in definitions meet at compile time
 * (through `defineConnector`) and custom ones, arriving as JSON, meet at run time (through
 * `parseDefinition`). A failure names the exact field (`streams.contacts.paginate.limit`).
 */
export const connectorKinds = ['api', 'mcp', 'database', 'workflow', 'agent', 'custom'] as const;
export type ConnectorKind = (typeof connectorKinds)[number];

const identifier = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower-case letters, digits and "_", starting with a letter');
const scalar = z.union([z.string(), z.number(), z.boolean()]);

const configFieldName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, 'must be letters, digits and "_", starting with a letter');

export const streamRequestSchema = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
  /**
   * Path under the base URL, starting with `/`. `{name}` stands for a value of the connection's
   * config (`{accountId}`) or of the parent record (`{conversationId}`, see `parent`), URL-encoded.
   */
  path: z.string().regex(/^\/[^?#]*$/, 'must start with "/" and hold no query string (put parameters in "query")'),
  /** Query parameters; a value that is exactly `{name}` is filled in like a path placeholder. */
  query: z.record(z.string(), scalar).default({}),
  body: z.record(z.string(), z.unknown()).optional(),
});

/** A value the user enters when connecting that is not a secret (an account id, an instance URL). */
export const configFieldSchema = z.strictObject({
  type: z.enum(['string', 'integer', 'boolean']).default('string'),
  title: z.string().min(1),
  description: z.string().optional(),
  required: z.boolean().default(true),
  default: scalar.optional(),
  /** `uri`: an http(s) URL. A config field named `baseUrl` points the connection at its own instance (self-hosted Chatwoot). */
  format: z.enum(['uri']).optional(),
  /**
   * A regular expression the whole value must match, with the message shown when it does not. A
   * value filled into a host (`https://{shop}`) must be held to one, or it could send the
   * connection's credentials anywhere.
   */
  pattern: z
    .strictObject({
      regex: z.string().refine((source) => {
        try {
          new RegExp(source);
          return true;
        } catch {
          return false;
        }
      }, 'must be a valid regular expression'),
      message: z.string().min(1),
    })
    .optional(),
});

export const incrementalSchema = z.strictObject({
  /** Where the cursor sits in each record (`updatedAt`, `properties.hs_lastmodifieddate`). */
  field: dottedPathSchema,
  /** Read again this far behind the saved cursor (ISO 8601 duration such as `PT1H`), for late writes. */
  lookback: z
    .string()
    .refine((value) => {
      try {
        parseDuration(value);
        return true;
      } catch {
        return false;
      }
    }, 'must be an ISO 8601 duration such as PT1H or P1D')
    .optional(),
  /** The query parameter that carries the lower bound of an incremental read (`updated_since`). */
  sendAs: z.string().min(1).optional(),
});

export const streamSchema = z.strictObject({
  description: z.string().optional(),
  request: streamRequestSchema,
  /**
   * Read once for every record of another stream (Chatwoot messages per conversation): `bind`
   * maps each path placeholder to a dotted path in the parent record.
   */
  parent: z.strictObject({ stream: identifier, bind: z.record(configFieldName, dottedPathSchema) }).optional(),
  /** Where the records sit in each page; empty when the page is the array itself. */
  records: z.union([z.literal(''), dottedPathSchema]),
  primaryKey: dottedPathSchema,
  paginate: paginatorConfigSchema.default({ style: 'none' }),
  incremental: incrementalSchema.optional(),
  /** Declared JSON Schema of a record; when absent the warehouse infers columns. */
  schema: z.record(z.string(), z.unknown()).optional(),
});

export const actionSchema = z.strictObject({
  description: z.string(),
  request: streamRequestSchema,
  /** Writes that change or delete data outside wait for a person's approval. */
  needsApproval: z.boolean().default(true),
  input: z.record(z.string(), z.unknown()).optional(),
});

export const definitionSchema = z.strictObject({
  id: identifier,
  name: z.string().min(1).max(80),
  kind: z.enum(connectorKinds),
  category: z.string().min(1).max(40),
  description: z.string().min(1).max(500),
  docs: z.url({ message: 'must be a URL' }),
  /** File name of an SVG kept beside the definition; nothing is loaded from the internet. */
  icon: z.string().regex(/^[a-z0-9-]+\.svg$/, 'must be the file name of an SVG beside the definition').optional(),
  /**
   * Where the vendor's API lives; a `database` connector has none. `{name}` placeholders are
   * filled from the connection's config, for an API on a host per account (`https://{shop}`).
   */
  baseUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  /** What the user enters besides secrets, keyed by name; path placeholders refer to these. */
  config: z.record(configFieldName, configFieldSchema).default({}),
  auth: z.array(authConfig).min(1, 'must list at least one auth method'),
  /** The vendor's documented limit, kept per connection by a token bucket. */
  rateLimit: z.strictObject({ requests: z.number().int().positive(), perSeconds: z.number().positive() }).optional(),
  /** Empty only for a `database` connector, whose streams are the tables its `discover` hook lists. */
  streams: z.record(identifier, streamSchema).default({}),
  actions: z.record(identifier, actionSchema).default({}),
  /** The cheap call a connection test makes: a stream whose first page is read. */
  testStream: identifier.optional(),
  /** Streams whose records feed the workspace's `metrics_daily` (metrics-mapping.ts). */
  metrics: z.array(metricsMappingSchema).default([]),
});

export type ConnectorDefinitionInput = z.input<typeof definitionSchema>;
/** A checked definition; built-ins may add code hooks where their API is unusual (`hooks.ts`). */
export type ConnectorDefinition = z.output<typeof definitionSchema> & { hooks?: ConnectorHooks };
export type StreamDefinition = z.output<typeof streamSchema>;
export type ConfigField = z.output<typeof configFieldSchema>;

/**
 * Checks a built-in definition once, when the catalog loads it, and fills in defaults. Typing
 * the argument as the schema's input makes a mistake a compile error first. Hooks are code, so
 * they come by import and never from JSON.
 */
export function defineConnector(definition: ConnectorDefinitionInput, hooks?: ConnectorHooks): ConnectorDefinition {
  const parsed = parseDefinition(definition, { hooks });
  if (!parsed.ok) throw new Error(`connector definition "${String(definition.id)}": ${parsed.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
  return hooks ? { ...parsed.definition, hooks } : parsed.definition;
}

export interface DefinitionIssue {
  /** Dotted path to the field, e.g. `streams.contacts.paginate.limit`. */
  field: string;
  message: string;
}

/** Validates a definition from JSON (custom connectors, `tributary connectors validate`). */
export function parseDefinition(
  input: unknown,
  { hooks }: { hooks?: ConnectorHooks } = {},
): { ok: true; definition: ConnectorDefinition } | { ok: false; issues: DefinitionIssue[] } {
  const parsed = definitionSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(definition)', message: issue.message })),
    };
  }
  const issues = crossFieldIssues(parsed.data, hooks);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, definition: parsed.data };
}

/**
 * A workspace's own definition (`POST /api/v1/connectors`, `tributary connectors validate`): `kind`
 * may be left out and must be `custom`, and its id must not be a built-in's.
 */
export function parseCustomDefinition(input: unknown, builtInIds: readonly string[]): ReturnType<typeof parseDefinition> {
  const body = typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {};
  const parsed = parseDefinition({ kind: 'custom', ...body });
  if (!parsed.ok) return parsed;
  if (parsed.definition.kind !== 'custom') return { ok: false, issues: [{ field: 'kind', message: 'must be "custom" for a workspace\u2019s own connector' }] };
  if (builtInIds.includes(parsed.definition.id)) return { ok: false, issues: [{ field: 'id', message: `"${parsed.definition.id}" is a built-in connector; choose another id` }] };
  return parsed;
}

const placeholderPattern = /\{([^{}]*)\}/g;

/** The `{name}` placeholders of a request's path and of its query values that are exactly `{name}`. */
export function placeholdersOf(request: { path: string; query: Record<string, unknown> }): string[] {
  const names = [...request.path.matchAll(placeholderPattern)].map((m) => m[1]!);
  for (const value of Object.values(request.query)) {
    const match = typeof value === 'string' ? /^\{([^{}]*)\}$/.exec(value) : null;
    if (match) names.push(match[1]!);
  }
  return names;
}

/** The base URL and the OAuth endpoints, by field: each may hold `{name}` placeholders filled from config. */
function endpointUrls(definition: z.output<typeof definitionSchema>): Array<[string, string]> {
  const urls: Array<[string, string]> = definition.baseUrl === undefined ? [] : [['baseUrl', definition.baseUrl]];
  definition.auth.forEach((auth, i) => {
    if (auth.method !== 'oauth2') return;
    for (const key of ['issuer', 'authorizationUrl', 'tokenUrl', 'revocationUrl'] as const) {
      const url = auth[key];
      if (url !== undefined) urls.push([`auth.${i}.${key}`, url]);
    }
  });
  return urls;
}

/** What one field cannot say alone: references between streams, placeholders and config. */
function crossFieldIssues(definition: z.output<typeof definitionSchema>, hooks: ConnectorHooks | undefined): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const streamNames = Object.keys(definition.streams);
  // Its stream "daily" would write over the dataset's metrics_daily table.
  if (definition.id === 'metrics') issues.push({ field: 'id', message: '"metrics" is reserved; choose another id' });
  if (definition.kind !== 'database' && definition.baseUrl === undefined) issues.push({ field: 'baseUrl', message: 'is required for an HTTP connector' });
  if (streamNames.length === 0 && !hooks?.discover) issues.push({ field: 'streams', message: 'must declare at least one stream' });
  if (definition.testStream && !streamNames.includes(definition.testStream)) issues.push({ field: 'testStream', message: 'names no stream of this connector' });
  const configNames = Object.keys(definition.config);
  for (const [field, url] of endpointUrls(definition)) {
    for (const placeholder of placeholdersOf({ path: url, query: {} }))
      if (!configNames.includes(placeholder)) issues.push({ field, message: `"{${placeholder}}" is not a config field` });
  }
  for (const [name, stream] of Object.entries(definition.streams)) {
    const bound = Object.keys(stream.parent?.bind ?? {});
    if (stream.parent) {
      const parent = definition.streams[stream.parent.stream];
      if (!parent || stream.parent.stream === name) issues.push({ field: `streams.${name}.parent.stream`, message: 'names no other stream of this connector' });
      else if (parent.parent) issues.push({ field: `streams.${name}.parent.stream`, message: 'names a stream that has a parent itself; one level is supported' });
    }
    for (const placeholder of placeholdersOf(stream.request)) {
      if (!configNames.includes(placeholder) && !bound.includes(placeholder))
        issues.push({ field: `streams.${name}.request.path`, message: `"{${placeholder}}" is neither a config field nor bound from a parent record` });
    }
  }
  definition.metrics.forEach((mapping, i) => {
    // A connector whose streams its discover hook names (GA4, databases) is checked when it reads.
    if (streamNames.length > 0 && !streamNames.includes(mapping.stream)) issues.push({ field: `metrics.${i}.stream`, message: 'names no stream of this connector' });
    for (const issue of mappingIssues(mapping)) {
      const [field, ...message] = issue.split(': ');
      issues.push({ field: `metrics.${i}.${field}`, message: message.join(': ') });
    }
  });
  for (const [name, action] of Object.entries(definition.actions)) {
    const inputs = Object.keys((action.input?.properties as Record<string, unknown> | undefined) ?? {});
    for (const placeholder of placeholdersOf(action.request)) {
      if (!configNames.includes(placeholder) && !inputs.includes(placeholder))
        issues.push({ field: `actions.${name}.request.path`, message: `"{${placeholder}}" is neither a config field nor a property of the action's input` });
    }
  }
  return issues;
}
