import { z } from 'zod';
import { authConfig } from './auth/index.js';
import { parseDuration } from './cursor.js';
import { paginatorConfigSchema } from './paginators/index.js';
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

export const streamRequestSchema = z.strictObject({
  method: z.enum(['GET', 'POST']).default('GET'),
  /** Path under the base URL, starting with `/`. */
  path: z.string().regex(/^\/[^?#]*$/, 'must start with "/" and hold no query string (put parameters in "query")'),
  query: z.record(z.string(), scalar).default({}),
  body: z.record(z.string(), z.unknown()).optional(),
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
  baseUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
  auth: z.array(authConfig).min(1, 'must list at least one auth method'),
  /** The vendor's documented limit, kept per connection by a token bucket. */
  rateLimit: z.strictObject({ requests: z.number().int().positive(), perSeconds: z.number().positive() }).optional(),
  streams: z.record(identifier, streamSchema).refine((streams) => Object.keys(streams).length > 0, 'must declare at least one stream'),
  actions: z.record(identifier, actionSchema).default({}),
  /** The cheap call a connection test makes: a stream whose first page is read. */
  testStream: identifier.optional(),
});

export type ConnectorDefinitionInput = z.input<typeof definitionSchema>;
export type ConnectorDefinition = z.output<typeof definitionSchema>;
export type StreamDefinition = z.output<typeof streamSchema>;

/**
 * Checks a built-in definition once, when the catalog loads it, and fills in defaults. Typing
 * the argument as the schema's input makes a mistake a compile error first.
 */
export function defineConnector(definition: ConnectorDefinitionInput): ConnectorDefinition {
  const parsed = parseDefinition(definition);
  if (!parsed.ok) throw new Error(`connector definition "${String(definition.id)}": ${parsed.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
  return parsed.definition;
}

export interface DefinitionIssue {
  /** Dotted path to the field, e.g. `streams.contacts.paginate.limit`. */
  field: string;
  message: string;
}

/** Validates a definition from JSON (custom connectors, `tributary connectors validate`). */
export function parseDefinition(input: unknown): { ok: true; definition: ConnectorDefinition } | { ok: false; issues: DefinitionIssue[] } {
  const parsed = definitionSchema.safeParse(input);
  if (parsed.success) {
    const testStream = parsed.data.testStream;
    if (testStream && !(testStream in parsed.data.streams)) return { ok: false, issues: [{ field: 'testStream', message: `names no stream of this connector` }] };
    return { ok: true, definition: parsed.data };
  }
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(definition)', message: issue.message })),
  };
}
