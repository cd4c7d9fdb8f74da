import { afterEach, describe, expect, it } from 'vitest';
import type { HttpRequest } from '../runtime/http.js';
import { createPaginator, firstPageQuery, type PaginatorConfig } from '../runtime/paginators/index.js';
import { pagedCollection, type Page, type PagedCollectionOptions } from './paged-collection.js';
import { startSandboxServer, type SandboxServer } from './sandbox-server.js';
import { seededRecords } from './seeded-random.js';

/** Each server-side style, the body a vendor of that style sends, and the runtime paginator that reads it. */
const styles: Array<{ collection: PagedCollectionOptions; body: (page: Page<{ id: number }>) => object; client: PaginatorConfig }> = [
  {
    collection: { style: 'cursor', cursorParam: 'after', defaultSize: 100, maxSize: 100 },
    body: (page) => ({ data: page.records, paging: { next: page.nextCursor ?? null } }),
    client: { style: 'cursor', next: 'paging.next', sendAs: 'after' },
  },
  {
    collection: { style: 'next_url', defaultSize: 100, maxSize: 100 },
    body: (page) => ({ data: page.records, links: { next: page.nextUrl ?? null } }),
    client: { style: 'next_url', next: 'links.next' },
  },
  {
    collection: { style: 'link_header', cursorParam: 'page_info', defaultSize: 100, maxSize: 100 },
    body: (page) => ({ data: page.records }),
    client: { style: 'link_header' },
  },
  {
    collection: { style: 'offset', defaultSize: 10, maxSize: 100 },
    body: (page) => ({ data: page.records, total: page.total }),
    client: { style: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 100 },
  },
  {
    collection: { style: 'page_number', sizeParam: 'per_page', defaultSize: 10, maxSize: 100 },
    body: (page) => ({ data: page.records, meta: { total_pages: page.totalPages } }),
    client: { style: 'page_number', pageParam: 'page', sizeParam: 'per_page', size: 100, totalPagesPath: 'meta.total_pages' },
  },
];

let sandbox: SandboxServer | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function serve(count: number, { collection, body }: (typeof styles)[number]): Promise<SandboxServer> {
  const items = pagedCollection(seededRecords('items', count, (_random, i) => ({ id: i + 1 })), collection);
  return (sandbox = await startSandboxServer({
    routes: [{ method: 'GET', path: '/v1/items', handle: (ctx) => { const page = items.page(ctx); return { headers: page.headers, body: body(page) }; } }],
  }));
}

/** Reads every page as the connector runtime does: real fetch, the style's own paginator. */
async function walk(server: SandboxServer, config: PaginatorConfig): Promise<number[]> {
  const paginator = createPaginator(config);
  let request: HttpRequest | undefined = { method: 'GET', url: `${server.url}/v1/items`, query: firstPageQuery(config), headers: {} };
  const ids: number[] = [];
  while (request !== undefined) {
    const url = new URL(request.url);
    for (const [name, value] of Object.entries(request.query)) url.searchParams.set(name, value);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Array<{ id: number }> };
    ids.push(...body.data.map((record) => record.id));
    request = paginator.next(request, { status: response.status, headers: response.headers, body, bytes: 0 }, body.data.length);
  }
  return ids;
}

describe('pagedCollection', () => {
  describe.each(styles)('$collection.style style', (style) => {
    it.each([0, 1, 1_200, 1_234])('serves all %i records once each, in order, to the runtime paginator', async (count) => {
      const server = await serve(count, style);
      expect(await walk(server, style.client)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    });
  });

  describe.each(styles.slice(0, 3))('$collection.style style under a repeat_cursor fault', (style) => {
    it('points the page back at itself, which the runtime stops on', async () => {
      const server = await serve(1_000, style);
      server.inject({ kind: 'repeat_cursor', afterRequests: 2, times: 1 });
      await expect(walk(server, style.client)).rejects.toMatchObject({ code: 'invalid_response', message: expect.stringContaining('repeated a cursor') });
      expect(server.requests.map((request) => request.fault)).toEqual([undefined, undefined, 'repeat_cursor']);
    });
  });

  const get = async (server: SandboxServer, query: string) => {
    const response = await fetch(`${server.url}/v1/items?${query}`);
    return { status: response.status, body: (await response.json()) as { data?: unknown[]; error?: { message: string } } };
  };

  it('cuts a page size above maxSize down to it, as vendors do', async () => {
    const server = await serve(500, styles[3]!);
    expect((await get(server, 'limit=1000')).body.data).toHaveLength(100);
  });

  it.each([
    [0, 'after=bm90LWEtY3Vyc29y', /"after" is not a cursor this API issued/],
    [3, 'offset=-5', /"offset" must be a whole number/],
    [4, 'page=0', /"page" starts at 1/],
    [4, 'per_page=0', /"per_page" must be at least 1/],
  ])('answers 400 to a bad position (%i: %s)', async (style, query, message) => {
    const server = await serve(50, styles[style]!);
    const { status, body } = await get(server, query);
    expect(status).toBe(400);
    expect(body.error?.message).toMatch(message);
  });

  it('counts pages from 0 when the vendor does', async () => {
    const items = pagedCollection(seededRecords('items', 25, (_random, i) => i), { style: 'page_number', startAt: 0, defaultSize: 10, maxSize: 10 });
    const page = (n: number) => items.page({ url: new URL('http://x/items'), query: { page: String(n) } });
    expect(page(0).records).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(page(2)).toMatchObject({ records: [20, 21, 22, 23, 24], hasMore: false, totalPages: 3 });
  });
});
