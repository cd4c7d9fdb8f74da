import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ContractRequest, ContractResponse } from '../../sandboxes/api-contract.js';

/**
 * Checks requests and responses against a vendor's OpenAPI 3.0 description, for contract tests of
 * a connector and its sandbox. Each check returns problems as sentences naming the operation and
 * the field (`GET /api/v1/accounts/{account_id}/conversations → 200: /data/payload/0/id must be
 * number`); an empty list means the exchange is as documented.
 *
 * Schemas are read closed: an object that lists its properties accepts no others, so a sandbox
 * cannot invent fields and a connector cannot send undocumented ones. OpenAPI 3.0's differences
 * from JSON Schema are converted first: `nullable: true` becomes a union with null, `allOf` of
 * objects is merged into one object (closing each part alone would refuse the others' fields),
 * and `$ref`s point into one schema document holding every component.
 */

export interface OpenApiContract {
  checkRequest(request: ContractRequest): string[];
  checkResponse(response: ContractResponse): string[];
  /** Checks a value against one of `components.schemas`. */
  checkSchema(name: string, value: unknown): string[];
  /**
   * The schema a response documents at a dotted path (`data.payload[].id`, `[]` stepping into
   * array items), or undefined when the spec documents nothing there.
   */
  responseField(method: string, path: string, status: number, field: string): JsonSchema | undefined;
}

export type JsonSchema = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

interface Operation {
  parameters?: Array<Parameter | { $ref: string }>;
  security?: Array<Record<string, string[]>>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

interface OpenApiDocument {
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, unknown>>;
  security?: Array<Record<string, string[]>>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    parameters?: Record<string, Parameter>;
    securitySchemes?: Record<string, { type: string; in?: string; name?: string; scheme?: string }>;
  };
}

const documentId = 'openapi';
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function loadOpenApiContract(file: string | URL): OpenApiContract {
  const document = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
  const components = document.components?.schemas ?? {};
  const convert = converter(components);
  const formats = formatsIn(document);
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const format of formats) ajv.addFormat(format, formatCheck(format));
  ajv.addSchema({ $id: documentId, definitions: Object.fromEntries(Object.entries(components).map(([name, schema]) => [name, convert(schema)])) });
  // Parameters arrive as strings: coercion lets `"7"` meet `type: integer` and still refuses `"seven"`.
  const parameterAjv = new Ajv({ strict: false, allErrors: true, coerceTypes: 'array' });
  for (const format of formats) parameterAjv.addFormat(format, formatCheck(format));
  const compiled = new Map<string, ValidateFunction>();
  const validator = (key: string, schema: () => JsonSchema, using = ajv) => {
    let validate = compiled.get(key);
    if (!validate) compiled.set(key, (validate = using.compile(schema())));
    return validate;
  };
  const basePath = new URL(document.servers?.[0]?.url ?? 'http://localhost/').pathname.replace(/\/+$/, '');
  const templates = Object.keys(document.paths).map((template) => ({ template, pattern: templatePattern(basePath + template), params: (template.match(/\{/g) ?? []).length }));

  /** The documented operation a request path and method fall under; the most literal template wins (`/conversations/meta` over `/conversations/{id}`). */
  function find(method: string, path: string) {
    const matches = templates.map((t) => ({ ...t, match: t.pattern.exec(path) })).filter((t) => t.match !== null);
    const best = matches.sort((a, b) => a.params - b.params)[0];
    if (!best) return { problem: `${method} ${path}: no documented path matches` };
    const item = document.paths[best.template]!;
    const operation = item[method.toLowerCase()] as Operation | undefined;
    const name = `${method} ${best.template}`;
    if (!operation) return { problem: `${name}: the method is not documented for this path (documented: ${methods.filter((m) => m in item).join(', ').toUpperCase()})` };
    const parameters = new Map<string, Parameter>();
    for (const entry of [...((item.parameters as Operation['parameters']) ?? []), ...(operation.parameters ?? [])]) {
      const parameter = '$ref' in entry ? (resolvePointer(document, entry.$ref) as Parameter) : entry;
      parameters.set(`${parameter.in}:${parameter.name}`, parameter);
    }
    return { name, template: best.template, operation, parameters: [...parameters.values()], pathValues: best.match!.groups ?? {} };
  }

  function checkParameters(name: string, where: string, values: Record<string, string>, parameters: Parameter[]): string[] {
    const problems: string[] = [];
    for (const parameter of parameters) {
      const value = values[parameter.name];
      if (value === undefined) {
        if (parameter.required) problems.push(`${name}: the required ${where} parameter "${parameter.name}" is missing`);
        continue;
      }
      const validate = validator(`${name} ${where}:${parameter.name}`, () => ({ type: 'object', properties: { value: convert(parameter.schema ?? {}) } }), parameterAjv);
      if (!validate({ value })) problems.push(...explain(validate.errors, `${name}: ${where} parameter "${parameter.name}" = "${value}"`));
    }
    return problems;
  }

  return {
    checkRequest(request) {
      const found = find(request.method, request.path);
      if (found.problem !== undefined) return [found.problem];
      const { name, operation, parameters, pathValues } = found;
      const problems: string[] = [];
      const credentials = securityParameters(document, operation);
      const pathParameters = parameters.filter((p) => p.in === 'path');
      problems.push(...checkParameters(name, 'path', decodeAll(pathValues, templateNames(found.template)), pathParameters));
      const queryParameters = parameters.filter((p) => p.in === 'query');
      for (const key of Object.keys(request.query)) {
        if (!queryParameters.some((p) => p.name === key) && !credentials.query.includes(key))
          problems.push(`${name}: the query parameter "${key}" is not documented (documented: ${queryParameters.map((p) => p.name).join(', ') || 'none'})`);
      }
      problems.push(...checkParameters(name, 'query', request.query, queryParameters));
      if (request.headers && credentials.requirements.length > 0) {
        const met = credentials.requirements.some((headers) => headers.every((header) => request.headers![header] !== undefined));
        if (!met) problems.push(`${name}: the request carries none of the documented credentials (headers: ${credentials.requirements.map((h) => h.join(' + ')).join(' or ')})`);
      }
      const body = operation.requestBody;
      const schema = body?.content?.['application/json']?.schema;
      if (request.body === undefined) {
        if (body?.required) problems.push(`${name}: the documented request body is missing`);
      } else if (!schema) {
        problems.push(`${name}: sends a JSON body, but none is documented`);
      } else {
        const validate = validator(`${name} request`, () => convert(schema));
        if (!validate(request.body)) problems.push(...explain(validate.errors, `${name} request body`));
      }
      return problems;
    },

    checkResponse(response) {
      const found = find(response.method, response.path);
      if (found.problem !== undefined) return [found.problem];
      const name = `${found.name} → ${response.status}`;
      const schema = responseSchema(found.operation, response.status);
      if (schema === 'undocumented') return [`${name}: the status is not documented (documented: ${Object.keys(found.operation.responses ?? {}).join(', ')})`];
      if (schema === undefined) return response.body === undefined ? [] : [`${name}: sends a JSON body, but none is documented`];
      const validate = validator(name, () => convert(schema));
      return validate(response.body) ? [] : explain(validate.errors, name);
    },

    checkSchema(name, value) {
      if (!(name in components)) return [`components.schemas has no "${name}"`];
      const validate = validator(`schema ${name}`, () => ({ $ref: `${documentId}#/definitions/${name}` }));
      return validate(value) ? [] : explain(validate.errors, `components.schemas.${name}`);
    },

    responseField(method, path, status, field) {
      const found = find(method, path);
      if (found.problem !== undefined) return undefined;
      const schema = responseSchema(found.operation, status);
      if (schema === undefined || schema === 'undocumented') return undefined;
      let node: JsonSchema | undefined = convert(schema);
      for (const step of field.replace(/\[\]/g, '.[]').split('.').filter(Boolean)) node = node && childSchema(dereference(node, ajv), step, ajv);
      return node && dereference(node, ajv);
    },
  };
}

/** The schema of a response with this status (`200`, `2XX`, or `default`); `undocumented` when the spec lists none. */
function responseSchema(operation: Operation, status: number): JsonSchema | 'undocumented' | undefined {
  const responses = operation.responses ?? {};
  const entry = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  if (!entry) return 'undocumented';
  return entry.content?.['application/json']?.schema;
}

/**
 * Turns OpenAPI 3.0 schemas into JSON Schema (draft-07) for ajv: closed objects, `nullable` as a
 * union with null, `allOf` of objects merged, refs into the `openapi` document.
 */
function converter(components: Record<string, JsonSchema>) {
  const merging = new Set<string>();

  const resolve = (schema: JsonSchema): JsonSchema => {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const name = ref.replace('#/components/schemas/', '');
    const target = components[name];
    if (!target) throw new Error(`OpenAPI: unresolvable $ref "${ref}"`);
    return target;
  };

  const convert = (schema: JsonSchema): JsonSchema => {
    if (typeof schema.$ref === 'string') {
      const ref = `${documentId}#/definitions/${schema.$ref.replace('#/components/schemas/', '')}`;
      // A $ref is the whole schema in JSON Schema draft-07, so `nullable` beside it needs a wrapper.
      return schema.nullable === true ? { anyOf: [{ $ref: ref }, { type: 'null' }] } : { $ref: ref };
    }
    const { nullable, example: _example, allOf, ...rest } = schema;
    let out: JsonSchema = Array.isArray(allOf) ? mergeAllOf(allOf as JsonSchema[], rest) : { ...rest };
    if (Array.isArray(out.allOf)) out.allOf = (out.allOf as JsonSchema[]).map(convert);
    if (out.properties) out.properties = Object.fromEntries(Object.entries(out.properties as Record<string, JsonSchema>).map(([key, value]) => [key, convert(value)]));
    if (out.items) out.items = convert(out.items as JsonSchema);
    if (typeof out.additionalProperties === 'object') out.additionalProperties = convert(out.additionalProperties as JsonSchema);
    else if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
    for (const key of ['oneOf', 'anyOf'] as const) if (Array.isArray(out[key])) out[key] = (out[key] as JsonSchema[]).map(convert);
    if (nullable === true) {
      if (typeof out.type === 'string') out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
      if (out.type === undefined) out = { anyOf: [out, { type: 'null' }] };
    }
    return out;
  };

  /**
   * One object from the parts of an `allOf` of objects, so the closed check sees every part's
   * properties; an `allOf` with any other part stays a JSON Schema `allOf`.
   */
  const mergeAllOf = (parts: JsonSchema[], base: JsonSchema): JsonSchema => {
    const flats = parts.map((part) => {
      const ref = typeof part.$ref === 'string' ? part.$ref : undefined;
      if (ref && merging.has(ref)) throw new Error(`OpenAPI: allOf refers to itself through "${ref}"`);
      if (ref) merging.add(ref);
      const resolved = resolve(part);
      const { allOf: inner, ...own } = resolved;
      const flat = Array.isArray(inner) ? mergeAllOf(inner as JsonSchema[], own) : resolved;
      if (ref) merging.delete(ref);
      return flat;
    });
    if (!flats.every((flat) => flat.type === 'object' || (flat.type === undefined && flat.properties !== undefined)))
      return { ...base, allOf: parts };
    const properties: Record<string, JsonSchema> = { ...((base.properties as Record<string, JsonSchema> | undefined) ?? {}) };
    const required = new Set<string>((base.required as string[] | undefined) ?? []);
    for (const flat of flats) {
      for (const [key, value] of Object.entries((flat.properties as Record<string, JsonSchema> | undefined) ?? {}))
        properties[key] = key in properties ? { allOf: [properties[key]!, value] } : value;
      for (const key of (flat.required as string[] | undefined) ?? []) required.add(key);
    }
    return { ...base, type: 'object', properties, ...(required.size > 0 && { required: [...required] }) };
  };

  return convert;
}

/** The schema of a property (or of array items, for `[]`), looking into each part of an `allOf` a merge left behind. */
function childSchema(node: JsonSchema, step: string, ajv: Ajv): JsonSchema | undefined {
  const own = step === '[]' ? (node.items as JsonSchema | undefined) : (node.properties as Record<string, JsonSchema> | undefined)?.[step];
  if (own || !Array.isArray(node.allOf)) return own;
  for (const part of node.allOf as JsonSchema[]) {
    const found = childSchema(dereference(part, ajv), step, ajv);
    if (found) return found;
  }
  return undefined;
}

/** A `$ref` into the `openapi` document, followed; anything else as it is. */
function dereference(schema: JsonSchema, ajv: Ajv): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const target = ajv.getSchema(ref)?.schema;
  return typeof target === 'object' && target !== null ? dereference(target as JsonSchema, ajv) : schema;
}

/** Where each of the operation's security requirements puts its credentials. */
function securityParameters(document: OpenApiDocument, operation: Operation) {
  const schemes = document.components?.securitySchemes ?? {};
  const requirements: string[][] = [];
  const query: string[] = [];
  for (const requirement of operation.security ?? document.security ?? []) {
    const headers: string[] = [];
    for (const schemeName of Object.keys(requirement)) {
      const scheme = schemes[schemeName];
      if (scheme?.type === 'apiKey' && scheme.in === 'header' && scheme.name) headers.push(scheme.name.toLowerCase());
      else if (scheme?.type === 'apiKey' && scheme.in === 'query' && scheme.name) query.push(scheme.name);
      else if (scheme?.type === 'http') headers.push('authorization');
    }
    if (headers.length > 0) requirements.push(headers);
  }
  return { requirements, query };
}

/** `/a/{account_id}/b` → a pattern with a named group per parameter. */
function templatePattern(template: string): RegExp {
  const escaped = template.split(/(\{[^}]+\})/).map((part) => (part.startsWith('{') ? `(?<${groupName(part.slice(1, -1))}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${escaped.join('')}$`);
}

function templateNames(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

// Group names must be identifiers; parameter names may hold `-` or `.`.
function groupName(parameter: string): string {
  return `p_${parameter.replace(/[^A-Za-z0-9_]/g, (c) => `_${c.charCodeAt(0)}_`)}`;
}

function decodeAll(groups: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, decodeURIComponent(groups[groupName(name)] ?? '')]));
}

function resolvePointer(document: unknown, pointer: string): unknown {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], document);
}

function formatsIn(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) formatsIn(item, found);
  else if (typeof node === 'object' && node !== null) {
    const format = (node as { format?: unknown }).format;
    if (typeof format === 'string') found.add(format);
    for (const value of Object.values(node)) formatsIn(value, found);
  }
  return found;
}

/** The formats a contract can check from a JSON value; the others (`binary`, `double`) say nothing a type does not. */
function formatCheck(format: string): true | ((value: string) => boolean) {
  switch (format) {
    case 'date-time':
      return (value) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/i.test(value) && !Number.isNaN(Date.parse(value));
    case 'date':
      return (value) => /^\d{4}-\d\d-\d\d$/.test(value) && !Number.isNaN(Date.parse(value));
    case 'uri':
      return (value) => URL.canParse(value);
    default:
      return true;
  }
}

function explain(errors: ErrorObject[] | null | undefined, where: string): string[] {
  // A property documented by two parts of an `allOf` (`id` in `generic_id` and `conversation`) fails twice alike.
  const sentences = [
    ...new Set(
      (errors ?? []).map((error) => {
        const at = error.instancePath === '' ? '(the body)' : error.instancePath;
        if (error.keyword === 'additionalProperties') return `${where}: ${at} has the undocumented property "${String(error.params.additionalProperty)}"`;
        if (error.keyword === 'enum') return `${where}: ${at} must be one of ${JSON.stringify(error.params.allowedValues)}`;
        return `${where}: ${at} ${error.message ?? 'is invalid'}`;
      }),
    ),
  ];
  const shown = sentences.slice(0, 12);
  return sentences.length > shown.length ? [...shown, `${where}: and ${sentences.length - shown.length} more`] : shown;
}
