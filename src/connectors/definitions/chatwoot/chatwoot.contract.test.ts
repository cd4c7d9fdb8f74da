import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAll, sandboxPerTest } from '../../../../test/support/connector-reads.js';
import { authApplier } from '../../runtime/auth/index.js';
import { placeholdersOf } from '../../runtime/define.js';
import type { HttpRequest } from '../../runtime/http.js';
import { fillPath } from '../../runtime/read-stream.js';
import { createRequester } from '../../runtime/requester.js';
import { startSandboxServer } from '../../sandboxes/index.js';
import chatwoot from './chatwoot.connector.js';
import { loadOpenApiContract } from './openapi-contract.js';
import { chatwootSandbox, chatwootSandboxAccountId, chatwootSandboxToken } from './sandbox.js';

/**
 * The connector and its sandbox against Chatwoot's own OpenAPI description: what the connector
 * sends must be documented, and what the sandbox answers must have the documented shape, so the
 * regular tests, which run against the sandbox, say something about the real Chatwoot.
 */
const contract = loadOpenApiContract(new URL('../../../../test/specs/chatwoot/swagger.json', import.meta.url));

const sandboxes = sandboxPerTest();

interface Exchange {
  method: string;
  path: string;
  status: number;
  body: unknown;
  requestBody: unknown;
}

/** `fetch` that keeps every answer the connector got, parsed, beside the body it sent. */
function recordingFetch(exchanges: Exchange[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const text = await response.clone().text();
    exchanges.push({
      method: init?.method ?? 'GET',
      path: new URL(input instanceof Request ? input.url : String(input)).pathname,
      status: response.status,
      body: text === '' ? undefined : JSON.parse(text),
      requestBody: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    return response;
  };
}

/**
 * The request an action makes. The runtime has no action runner yet; this builds it the way a
 * stream's request is built: placeholders from config and input, the rest of the input in the body.
 */
function actionRequest(name: string, input: Record<string, unknown>, baseUrl: string): HttpRequest {
  const action = chatwoot.actions[name]!;
  const placeholders = placeholdersOf(action.request);
  const fields = Object.fromEntries(Object.entries(input).filter(([key]) => !placeholders.includes(key)));
  return {
    method: action.request.method,
    url: `${baseUrl}${fillPath(action.request.path, { accountId: chatwootSandboxAccountId, ...input })}`,
    query: {},
    headers: {},
    body: { ...action.request.body, ...fields },
  };
}

const actionInputs = { send_reply: { conversationId: 1, content: 'Thanks, that is fixed now.' }, draft_private_note: { conversationId: 2, content: 'Customer is on the legacy plan.' } };

/** Full reads of both streams, then both actions, through the runtime, every exchange recorded. */
async function runEverything() {
  const server = await startSandboxServer(chatwootSandbox({ conversations: 30, messagesPerConversation: 3 }));
  const exchanges: Exchange[] = [];
  const records: Record<string, number> = {};
  const recording = recordingFetch(exchanges);
  const secrets = { apiKey: chatwootSandboxToken };
  for (const stream of Object.keys(chatwoot.streams)) {
    const batches = await readAll(chatwoot, stream, { secrets, baseUrl: server.url, config: { accountId: chatwootSandboxAccountId }, fetch: recording });
    records[stream] = batches.reduce((count, batch) => count + batch.records.length, 0);
  }
  const requester = createRequester({ vendor: chatwoot.name, fetch: recording });
  const auth = authApplier(chatwoot.auth[0]!, secrets);
  for (const [name, input] of Object.entries(actionInputs)) await requester(actionRequest(name, input, server.url), { auth });
  await server.close();
  return { exchanges, records, requests: server.requests };
}

/** Fails listing each distinct problem once, with how often it came up (the same field breaks on every page). */
function expectNoProblems(problems: string[]) {
  const counts = new Map<string, number>();
  for (const problem of problems) counts.set(problem, (counts.get(problem) ?? 0) + 1);
  const report = [...counts].map(([problem, times]) => (times > 1 ? `${problem} (${times} times)` : problem));
  expect(report, `\n${report.join('\n')}\n`).toEqual([]);
}

describe('Chatwoot against its OpenAPI description', () => {
  describe('on full reads of both streams and both actions', () => {
    let everything: Awaited<ReturnType<typeof runEverything>>;
    beforeAll(async () => {
      everything = await runEverything();
    });

    it('gets every answer in the documented shape', () => {
      const { exchanges, records } = everything;
      expect(records).toEqual({ conversations: 30, messages: 90 });
      expect(exchanges.filter((e) => e.path.endsWith('/conversations')).length).toBeGreaterThan(2);
      const operations = new Set(exchanges.map((e) => `${e.method} ${e.path.replace(/\d+/g, 'N')} ${e.status}`));
      expect([...operations].sort()).toEqual([
        'GET /api/vN/accounts/N/conversations 200',
        'GET /api/vN/accounts/N/conversations/N/messages 200',
        'POST /api/vN/accounts/N/conversations/N/messages 200',
      ]);
      expectNoProblems(exchanges.flatMap((exchange) => contract.checkResponse(exchange)));
      const written = exchanges.filter((e) => e.method === 'POST').map((e) => e.body as { private: boolean; content: string });
      expect(written.map((m) => [m.private, m.content])).toEqual([
        [false, actionInputs.send_reply.content],
        [true, actionInputs.draft_private_note.content],
      ]);
    });

    it('sends only documented paths, methods, parameters, credentials and bodies', () => {
      const { exchanges, requests } = everything;
      // Actions run one after another, so the log's POSTs and the recorded bodies are in the same order.
      const sentBodies = exchanges.filter((e) => e.method === 'POST').map((e) => e.requestBody);
      const posts = requests.filter((r) => r.method === 'POST');
      expect(posts).toHaveLength(Object.keys(actionInputs).length);
      expect(requests.length).toBeGreaterThan(posts.length);
      expectNoProblems(requests.flatMap((request) => contract.checkRequest({ ...request, body: request.method === 'POST' ? sentBodies[posts.indexOf(request)] : undefined })));
    });
  });

  it('reads records, keys and cursors where the spec documents them', () => {
    const problems: string[] = [];
    const documented = (stream: string, field: string, status = 200) => {
      const definition = chatwoot.streams[stream]!;
      const path = fillPath(definition.request.path, { accountId: chatwootSandboxAccountId, conversationId: 1 });
      const schema = contract.responseField(definition.request.method, path, status, field);
      if (!schema) problems.push(`streams.${stream}: "${field}" is not documented in the ${status} response of ${definition.request.method} ${definition.request.path}`);
      return schema;
    };
    for (const [name, stream] of Object.entries(chatwoot.streams)) {
      const records = documented(name, stream.records);
      if (records && records.type !== 'array') problems.push(`streams.${name}: "${stream.records}" is documented as ${String(records.type)}, not an array of records`);
      documented(name, `${stream.records}[].${stream.primaryKey}`);
      if (stream.incremental) documented(name, `${stream.records}[].${stream.incremental.field}`);
      const parent = stream.parent && chatwoot.streams[stream.parent.stream];
      for (const field of Object.values(stream.parent?.bind ?? {})) documented(stream.parent!.stream, `${parent!.records}[].${field}`);
    }
    expectNoProblems(problems);
  });

  it('takes action inputs that are valid JSON Schema and accept a reply', () => {
    const ajv = new Ajv({ strict: true });
    for (const [name, input] of Object.entries(actionInputs)) {
      const validate = ajv.compile(chatwoot.actions[name]!.input!);
      expect(validate(input), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect(validate({ conversationId: 1 })).toBe(false);
    }
  });

  describe('error bodies', () => {
    const conversationsPath = `/api/v1/accounts/${chatwootSandboxAccountId}/conversations`;
    const call = async (method: string, path: string, token: string, body?: unknown) => {
      const response = await fetch(`${sandboxes.server.url}${path}`, {
        method,
        headers: { api_access_token: token, 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { method, path, status: response.status, body: (await response.json()) as unknown };
    };

    it.each([
      ['a refused token, reading messages', 'GET', `${conversationsPath}/1/messages`, 'cw-wrong-token', 401],
      ['an unknown conversation, reading messages', 'GET', `${conversationsPath}/9999/messages`, chatwootSandboxToken, 404],
      ['an unknown conversation, replying', 'POST', `${conversationsPath}/9999/messages`, chatwootSandboxToken, 404],
    ] as const)('are as documented for %s', async (_, method, path, token, status) => {
      await sandboxes.start(chatwootSandbox({ conversations: 3 }));
      const response = await call(method, path, token, method === 'POST' ? { content: 'Hello' } : undefined);
      expect(response.status).toBe(status);
      expectNoProblems(contract.checkResponse(response));
    });

    it('use the spec error schema where the operation documents no 401 (the conversation list)', async () => {
      await sandboxes.start(chatwootSandbox({ conversations: 3 }));
      const response = await call('GET', conversationsPath, 'cw-wrong-token');
      expect(response.status).toBe(401);
      expect(contract.checkResponse(response)).toEqual([expect.stringContaining('the status is not documented')]);
      expectNoProblems(contract.checkSchema('bad_request_error', response.body));
    });
  });

  describe('the contract check itself', () => {
    const conversationsPath = `/api/v1/accounts/${chatwootSandboxAccountId}/conversations`;

    it('names the field of a response that breaks the documented schema', () => {
      const body = { data: { meta: { all_count: 2 }, payload: [{ id: '1', status: 'open' }, { id: 2, status: 'closed', colour: 'red' }] } };
      const problems = contract.checkResponse({ method: 'GET', path: conversationsPath, status: 200, body });
      expect(problems).toEqual([
        'GET /api/v1/accounts/{account_id}/conversations → 200: /data/payload/0/id must be number',
        'GET /api/v1/accounts/{account_id}/conversations → 200: /data/payload/1 has the undocumented property "colour"',
        'GET /api/v1/accounts/{account_id}/conversations → 200: /data/payload/1/status must be one of ["open","resolved","pending"]',
      ]);
    });

    it('reads nullable: true as "or null", and nothing else as nullable', () => {
      expect(contract.checkSchema('user', { id: 1, display_name: null })).toEqual([]);
      expect(contract.checkSchema('user', { id: 1, name: null })).toEqual(['components.schemas.user: /name must be string']);
    });

    it('names undocumented paths, methods, query parameters, parameter values and body fields', () => {
      const headers = { api_access_token: '***' };
      const check = (method: string, path: string, query: Record<string, string> = {}, body?: unknown) => contract.checkRequest({ method, path, query, headers, body });
      expect(check('GET', `${conversationsPath}/1/tickets`)).toEqual([`GET ${conversationsPath}/1/tickets: no documented path matches`]);
      expect(check('DELETE', conversationsPath)).toEqual(['DELETE /api/v1/accounts/{account_id}/conversations: the method is not documented for this path (documented: GET, POST)']);
      expect(check('GET', conversationsPath, { page: '2', per_page: '100' })).toEqual([
        'GET /api/v1/accounts/{account_id}/conversations: the query parameter "per_page" is not documented (documented: assignee_type, status, q, inbox_id, team_id, labels, page)',
      ]);
      expect(check('GET', '/api/v1/accounts/seven/conversations', { status: 'archived' })).toEqual([
        'GET /api/v1/accounts/{account_id}/conversations: path parameter "account_id" = "seven": /value must be integer',
        'GET /api/v1/accounts/{account_id}/conversations: query parameter "status" = "archived": /value must be one of ["all","open","resolved","pending","snoozed"]',
      ]);
      expect(check('POST', `${conversationsPath}/1/messages`, {}, { content: 'Hi', is_private: true })).toEqual([
        'POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/messages request body: (the body) has the undocumented property "is_private"',
      ]);
      expect(contract.checkRequest({ method: 'GET', path: conversationsPath, query: {}, headers: {} })).toEqual([
        'GET /api/v1/accounts/{account_id}/conversations: the request carries none of the documented credentials (headers: api_access_token)',
      ]);
    });
  });
});
