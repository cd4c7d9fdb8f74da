import { readFileSync } from 'node:fs';
import type { ContractRequest, ContractResponse } from '../../sandboxes/api-contract.js';

/**
 * Checks requests, responses and JSON values against a Google API discovery document
 * (https://developers.google.com/discovery/v1/reference/apis), for contract tests of a sandbox.
 * Each check returns problems as sentences naming the method or schema and the field
 * (`schemas.RunReportResponse: /rows/0/metricValues/0/value must be a string`); an empty list
 * means the value is as documented.
 *
 * Values are read as Google's JSON mapping of protobuf: `$ref` names another schema, `int64` and
 * `uint64` travel as decimal strings, and objects are closed, so an undocumented field is a
 * problem rather than noise. Discovery documents leave the error body out; answers other than
 * 2xx are checked against Google's error model (https://cloud.google.com/apis/design/errors).
 */
export interface DiscoveryMethod {
  /** `analyticsdata.properties.runReport`. */
  id: string;
  httpMethod: string;
  /** `v1beta/properties/{propertiesId}:runReport`: the path with each parameter one segment. */
  flatPath: string;
  /** The request body's schema, by name. */
  request?: string;
  /** The response's schema, by name. */
  response?: string;
  parameters: Record<string, DiscoveryParameter>;
}


export interface DiscoveryContract {
  /** The documented method a request falls under, matched on the HTTP method and `flatPath`. */
  findMethod(httpMethod: string, path: string): DiscoveryMethod | undefined;
  /** Checks a value against one of the document's `schemas`. */
  checkSchema(name: string, value: unknown): string[];
  checkRequest(request: ContractRequest): string[];
  checkResponse(response: ContractResponse): string[];
}

interface DiscoverySchema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: string[];
  items?: DiscoverySchema;
  properties?: Record<string, DiscoverySchema>;
  additionalProperties?: DiscoverySchema;
}

interface DiscoveryParameter extends DiscoverySchema {
  location: 'path' | 'query';
  required?: boolean;
}

/** A method as the document writes it. */
interface MethodEntry {
  id: string;
  httpMethod: string;
  path: string;
  flatPath?: string;
  parameters?: Record<string, DiscoveryParameter>;
  request?: { $ref: string };
  response?: { $ref: string };
}

interface DiscoveryResource {
  methods?: Record<string, MethodEntry>;
  resources?: Record<string, DiscoveryResource>;
}

interface DiscoveryDocument extends DiscoveryResource {
  servicePath: string;
  /** Parameters every method takes (`access_token`, `fields`, `prettyPrint`, …). */
  parameters: Record<string, DiscoveryParameter>;
  schemas: Record<string, DiscoverySchema>;
}

/** google.rpc.Code names, the `status` of Google's error model. */
const rpcCodes = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];

const errorModel: DiscoverySchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'integer', format: 'int32' },
        message: { type: 'string' },
        status: { type: 'string', enum: rpcCodes },
        details: { type: 'array', items: { type: 'object', additionalProperties: { type: 'any' } } },
      },
    },
  },
};

// The credentials Google takes: an OAuth token in the header or the query, or an API key.
const credentialParameters = ['access_token', 'oauth_token', 'key'];

export function loadDiscoveryContract(file: string | URL): DiscoveryContract {
  const document = JSON.parse(readFileSync(file, 'utf8')) as DiscoveryDocument;
  const methods = methodsOf(document).map((method) => ({ method, pattern: flatPathPattern(`/${document.servicePath}${method.flatPath}`) }));

  const findMethod = (httpMethod: string, path: string) => methods.find(({ method, pattern }) => method.httpMethod === httpMethod && pattern.test(path))?.method;

  const check = (schema: DiscoverySchema, value: unknown, where: string) => {
    const problems: string[] = [];
    validate(document.schemas, schema, value, '', problems);
    const shown = problems.slice(0, 12).map((problem) => `${where}: ${problem}`);
    return problems.length > shown.length ? [...shown, `${where}: and ${problems.length - shown.length} more`] : shown;
  };

  return {
    findMethod,

    checkSchema(name, value) {
      const schema = document.schemas[name];
      return schema ? check(schema, value, `schemas.${name}`) : [`schemas has no "${name}"`];
    },

    checkRequest(request) {
      const method = findMethod(request.method, request.path);
      if (!method) return [`${request.method} ${request.path}: no documented method matches`];
      const problems: string[] = [];
      for (const [name, value] of Object.entries(request.query)) {
        const parameter = method.parameters[name] ?? document.parameters[name];
        if (parameter?.location !== 'query') problems.push(`${method.id}: the query parameter "${name}" is not documented`);
        else problems.push(...check(parameter, parameterValue(parameter, value), `${method.id}: query parameter "${name}" = "${value}"`));
      }
      for (const [name, parameter] of Object.entries(method.parameters)) {
        if (parameter.location === 'query' && parameter.required && request.query[name] === undefined) problems.push(`${method.id}: the required query parameter "${name}" is missing`);
      }
      if (request.headers && !/^Bearer /i.test(request.headers.authorization ?? '') && !credentialParameters.some((name) => request.query[name] !== undefined)) {
        problems.push(`${method.id}: the request carries no credentials (an Authorization: Bearer header, or ${credentialParameters.join(', ')})`);
      }
      if (request.body !== undefined) {
        if (method.request) problems.push(...check({ $ref: method.request }, request.body, `${method.id} request body`));
        else problems.push(`${method.id}: sends a body, but none is documented`);
      }
      return problems;
    },

    checkResponse(response) {
      const method = findMethod(response.method, response.path);
      if (!method) return [`${response.method} ${response.path}: no documented method matches`];
      const where = `${method.id} → ${response.status}`;
      if (response.status < 200 || response.status > 299) return checkError(response, where, check);
      if (method.response) return check({ $ref: method.response }, response.body, where);
      return response.body === undefined ? [] : [`${where}: sends a body, but none is documented`];
    },
  };
}

/** Google's error model has no schema in the document; its three fields are always there, and `code` is the HTTP status. */
function checkError(response: ContractResponse, where: string, check: (schema: DiscoverySchema, value: unknown, where: string) => string[]): string[] {
  const problems = check(errorModel, response.body, where);
  const error = (response.body as { error?: Record<string, unknown> } | undefined)?.error;
  if (error === undefined) return [...problems, `${where}: (the value) has no "error"`];
  for (const field of ['code', 'message', 'status']) if (error[field] === undefined) problems.push(`${where}: /error has no "${field}"`);
  if (error.code !== undefined && error.code !== response.status) problems.push(`${where}: /error/code is ${String(error.code)}, not the HTTP status`);
  return problems;
}

function methodsOf(resource: DiscoveryResource): DiscoveryMethod[] {
  const own = Object.values(resource.methods ?? {}).map(({ id, httpMethod, path, flatPath, parameters, request, response }): DiscoveryMethod => ({
    id,
    httpMethod,
    flatPath: flatPath ?? path,
    parameters: parameters ?? {},
    ...(request && { request: request.$ref }),
    ...(response && { response: response.$ref }),
  }));
  return [...own, ...Object.values(resource.resources ?? {}).flatMap(methodsOf)];
}

/** A parameter is one segment, up to a custom method's `:verb`. */
function flatPathPattern(flatPath: string): RegExp {
  const parts = flatPath.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/:]+')}$`);
}

/** A query parameter arrives as text; read it as the JSON value its schema describes, so the one validator checks it. */
function parameterValue(parameter: DiscoveryParameter, value: string): unknown {
  if (parameter.type === 'integer' && /^-?\d+$/.test(value)) return Number(value);
  if (parameter.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function validate(schemas: Record<string, DiscoverySchema>, schema: DiscoverySchema, value: unknown, at: string, problems: string[]): void {
  if (schema.$ref !== undefined) {
    const target = schemas[schema.$ref];
    if (!target) throw new Error(`Discovery document: unresolvable $ref "${schema.$ref}"`);
    return validate(schemas, target, value, at, problems);
  }
  const where = at === '' ? '(the value)' : at;
  switch (schema.type) {
    case 'any':
      return;
    case 'string':
      if (typeof value !== 'string') return void problems.push(`${where} must be a string${/int64$/.test(schema.format ?? '') ? ` (an ${schema.format} travels as a decimal string)` : ''}`);
      if (!formatHolds(schema.format, value)) problems.push(`${where} must be ${/int64$/.test(schema.format ?? '') ? 'a whole number' : `a ${schema.format}`}`);
      if (schema.enum && !schema.enum.includes(value)) problems.push(`${where} must be one of ${JSON.stringify(schema.enum)}`);
      return;
    case 'integer':
      if (!Number.isInteger(value)) return void problems.push(`${where} must be an integer`);
      if (!integerFits(schema.format, value as number)) problems.push(`${where} must fit in ${schema.format}`);
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`${where} must be a number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${where} must be a boolean`);
      return;
    case 'array':
      if (!Array.isArray(value)) return void problems.push(`${where} must be an array`);
      for (const [i, item] of value.entries()) validate(schemas, schema.items ?? { type: 'any' }, item, `${at}/${i}`, problems);
      return;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return void problems.push(`${where} must be an object`);
      for (const [key, item] of Object.entries(value)) {
        const property = schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : schema.additionalProperties;
        if (property) validate(schemas, property, item, `${at}/${key}`, problems);
        else problems.push(`${where} has the undocumented property "${key}"`);
      }
      return;
    }
    default:
      throw new Error(`Discovery document: unknown type "${String(schema.type)}"`);
  }
}

function formatHolds(format: string | undefined, value: string): boolean {
  switch (format) {
    case 'int64':
      return /^-?\d+$/.test(value);
    case 'uint64':
      return /^\d+$/.test(value);
    case 'google-datetime':
      return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)$/.test(value);
    case 'google-duration':
      return /^-?\d+(?:\.\d{1,9})?s$/.test(value);
    default:
      return true;
  }
}

function integerFits(format: string | undefined, value: number): boolean {
  if (format === 'int32') return value >= -(2 ** 31) && value < 2 ** 31;
  if (format === 'uint32') return value >= 0 && value < 2 ** 32;
  return true;
}
