import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTributaryError } from '../../domain/errors.js';
import { defineConnector } from './define.js';
import { readStream, type RecordBatch } from './read-stream.js';
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
