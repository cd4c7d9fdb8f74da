import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTributaryError, type TributaryError } from '../../domain/errors.js';
import { defineConnector } from './define.js';
import { connectionContext, readStream, type RecordBatch } from './read-stream.js';
import { createRequester } from './requester.js';

/** A tiny vendor on loopback: 250 items, offset pages, bearer auth, `updated_since` filter. */
const items = Array.from({ length: 250 }, (_, i) => ({ id: `item-${i}`, updatedAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString() }));
const seen: Array<{ query: URLSearchParams; auth: string | undefined; at: number }> = [];
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    seen.push({ query: url.searchParams, auth: req.headers.authorization, at: Date.now() });
    if (req.headers.authorization !== 'Bearer good-token') return res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"bad token"}');
    const since = url.searchParams.get('updated_since');
    const matching = since ? items.filter((item) => item.updatedAt >= since) : items;
    const offset = Number(url.searchParams.get('offset'));
    const limit = Number(url.searchParams.get('limit'));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { items: matching.slice(offset, offset + limit) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

const definition = defineConnector({
  id: 'example',
  name: 'Example',
  kind: 'api',
  category: 'test',
  description: 'A loopback vendor for runtime tests.',
  docs: 'https://example.test/docs',
  baseUrl: 'https://api.example.test',
  auth: [{ method: 'bearer' }],
  streams: {
    items: {
      request: { path: '/v1/items' },
      records: 'data.items',
      primaryKey: 'id',
      paginate: { style: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 100 },
      incremental: { field: 'updatedAt', lookback: 'PT10M', sendAs: 'updated_since' },
    },
  },
});

const requester = createRequester({ vendor: 'Example', maxAttempts: 1 });
const options = (extra: object = {}) => ({ requester, auth: definition.auth[0]!, secrets: { token: 'good-token' }, baseUrl, ...extra });

async function collect(iterator: AsyncGenerator<RecordBatch>): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  for await (const batch of iterator) batches.push(batch);
  return batches;
}

describe('readStream', () => {
  it('reads every record, one batch per page, authenticated, with the highest cursor', async () => {
    seen.length = 0;
    const batches = await collect(readStream(definition, 'items', options()));
    expect(batches.map((b) => b.records.length)).toEqual([100, 100, 50]);
    expect(batches.flatMap((b) => b.records)).toEqual(items);
    expect(batches.at(-1)!.cursor).toBe(items.at(-1)!.updatedAt);
    expect(seen.map((s) => [s.query.get('offset'), s.query.get('limit'), s.auth])).toEqual([
      ['0', '100', 'Bearer good-token'],
      ['100', '100', 'Bearer good-token'],
      ['200', '100', 'Bearer good-token'],
    ]);
  });

  it('starts an incremental read from the saved cursor minus the lookback, so a re-run reads little', async () => {
    seen.length = 0;
    const saved = items[239]!.updatedAt;
    const batches = await collect(readStream(definition, 'items', options({ state: saved })));
    expect(seen[0]!.query.get('updated_since')).toBe(items[229]!.updatedAt);
    expect(seen).toHaveLength(1);
    expect(batches.flatMap((b) => b.records)).toHaveLength(21);
  });

  it('asks for the next page while the caller still holds the current one', async () => {
    seen.length = 0;
    const iterator = readStream(definition, 'items', options());
    await iterator.next();
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toHaveLength(2);
    await iterator.return(undefined);
  });

  it('stops asking when the caller stops reading', async () => {
    seen.length = 0;
    for await (const batch of readStream(definition, 'items', options())) {
      expect(batch.page).toBe(1);
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.length).toBeLessThanOrEqual(2);
  });

  it('reads one page when told to (a connection test)', async () => {
    const batches = await collect(readStream(definition, 'items', options({ maxPages: 1 })));
    expect(batches).toHaveLength(1);
  });

  it('fails with auth_failed when the vendor refuses the token, naming the vendor', async () => {
    const error = await collect(readStream(definition, 'items', options({ secrets: { token: 'stale-token' } }))).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('auth_failed');
    expect((error as Error).message).toContain('Example');
    expect((error as Error).message).not.toContain('stale-token');
  });

  it('answers an unknown stream with not_found', async () => {
    const error = await collect(readStream(definition, 'nope', options())).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('not_found');
  });
});

describe('readStream with config placeholders and a parent stream', () => {
  /** A support desk: `/accounts/:account/threads` (two pages), and each thread's notes. */
  let desk: http.Server;
  let deskUrl: string;
  const paths: string[] = [];
  beforeAll(async () => {
    desk = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      paths.push(`${url.pathname}${url.search}`);
      const threads = /^\/accounts\/7\/threads$/.exec(url.pathname);
      const notes = /^\/accounts\/7\/threads\/(t[\w%]+)\/notes$/.exec(url.pathname);
      const send = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (threads) return send({ items: url.searchParams.get('page') === '2' ? [{ id: 't 3' }] : [{ id: 't1' }, { id: 't2' }], pages: 2 });
      if (notes) return send([{ id: `${decodeURIComponent(notes[1]!)}-n1` }, { id: `${decodeURIComponent(notes[1]!)}-n2`, threadId: 'own' }]);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => desk.listen(0, '127.0.0.1', resolve));
    deskUrl = `http://127.0.0.1:${(desk.address() as AddressInfo).port}`;
  });
  afterAll(() => desk.close());

  const helpdesk = defineConnector({
    id: 'desk',
    name: 'Desk',
    kind: 'api',
    category: 'support',
    description: 'Threads and their notes.',
    docs: 'https://desk.test/docs',
    baseUrl: 'https://api.desk.test',
    config: { account: { type: 'integer', title: 'Account' } },
    auth: [{ method: 'none' }],
    streams: {
      threads: { request: { path: '/accounts/{account}/threads' }, records: 'items', primaryKey: 'id', paginate: { style: 'page_number', pageParam: 'page', totalPagesPath: 'pages' } },
      notes: { request: { path: '/accounts/{account}/threads/{threadId}/notes' }, parent: { stream: 'threads', bind: { threadId: 'id' } }, records: '', primaryKey: 'id' },
    },
  });
  const deskOptions = (config: Record<string, unknown>) => ({ requester, auth: helpdesk.auth[0]!, secrets: {}, baseUrl: deskUrl, config });

  it('reads the child stream once per parent record, path values URL-encoded, and carries the parent value on each record', async () => {
    paths.length = 0;
    const batches = await collect(readStream(helpdesk, 'notes', deskOptions({ account: 7 })));
    expect(paths.filter((p) => p.includes('/notes'))).toEqual(['/accounts/7/threads/t1/notes', '/accounts/7/threads/t2/notes', '/accounts/7/threads/t%203/notes']);
    expect(batches.flatMap((b) => b.records)).toEqual([
      { id: 't1-n1', threadId: 't1' },
      { id: 't1-n2', threadId: 'own' },
      { id: 't2-n1', threadId: 't2' },
      { id: 't2-n2', threadId: 'own' },
      { id: 't 3-n1', threadId: 't 3' },
      { id: 't 3-n2', threadId: 'own' },
    ]);
    expect(batches.map((b) => b.page)).toEqual([1, 2, 3]);
  });

  it('answers a missing config value with invalid_config naming it, before any request', async () => {
    paths.length = 0;
    const error = await collect(readStream(helpdesk, 'threads', deskOptions({}))).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('invalid_config');
    expect((error as TributaryError).details).toEqual({ field: 'account' });
    expect(paths).toEqual([]);
  });
});

describe('readStream where the credential decides the base URL', () => {
  /** A vendor with one API per region: `/lookup` says the token's region, `/<region>/v1/items` pages 150 items. */
  let regional: http.Server;
  let regionalUrl: string;
  const requests: Array<{ path: string; auth: string | undefined; version: string | undefined }> = [];
  beforeAll(async () => {
    regional = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      requests.push({ path: `${url.pathname}${url.search}`, auth: req.headers.authorization, version: req.headers['x-api-version'] as string | undefined });
      const send = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (url.pathname === '/lookup') return send({ region: 'eu' });
      const offset = Number(url.searchParams.get('offset') ?? 0);
      if (url.pathname === '/eu/v1/items') return send({ data: { items: items.slice(0, 150).slice(offset, offset + Number(url.searchParams.get('limit') ?? 150)) } });
      res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => regional.listen(0, '127.0.0.1', resolve));
    regionalUrl = `http://127.0.0.1:${(regional.address() as AddressInfo).port}`;
  });
  afterAll(() => regional.close());

  const byRegion = defineConnector(
    { ...definition, id: 'regional', name: 'Regional' },
    {
      async baseUrl(context) {
        const found = await context.send({ path: '/lookup', headers: { 'x-api-version': '7', authorization: 'Bearer not-the-credential' } });
        return `${context.baseUrl}/${(found.body as { region: string }).region}`;
      },
    },
  );
  const regionalOptions = () => ({ requester, auth: byRegion.auth[0]!, secrets: { token: 'good-token' }, baseUrl: regionalUrl });

  it('sends every page of a read to the base URL its hook answers, asking the hook once', async () => {
    requests.length = 0;
    const batches = await collect(readStream(byRegion, 'items', regionalOptions()));
    expect(batches.flatMap((b) => b.records)).toHaveLength(150);
    expect(requests.map((r) => r.path)).toEqual(['/lookup', '/eu/v1/items?offset=0&limit=100', '/eu/v1/items?offset=100&limit=100']);
  });

  it("sends a hook's requests there too, asking once however many it makes", async () => {
    requests.length = 0;
    const context = connectionContext(byRegion, regionalOptions());
    await context.send({ path: '/v1/items' });
    await context.send({ path: '/v1/items', query: { offset: '100' } });
    expect(requests.map((r) => r.path)).toEqual(['/lookup', '/eu/v1/items', '/eu/v1/items?offset=100']);
    expect(context.baseUrl).toBe(regionalUrl);
  });

  it("sends a hook's own headers, with the connection's credentials applied over them", async () => {
    requests.length = 0;
    await collect(readStream(byRegion, 'items', { ...regionalOptions(), maxPages: 1 }));
    expect(requests[0]).toEqual({ path: '/lookup', auth: 'Bearer good-token', version: '7' });
  });
});
