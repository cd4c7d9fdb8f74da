import { expect } from 'vitest';
import type { Api } from '../../src/api/app.js';
import { call, type Tenant } from './api.js';

/**
 * The two-workspace isolation harness. A case names a route that takes a resource id and how to
 * make that resource in workspace A; the harness then calls the route as workspace B (its
 * session and its API key) with A's id and expects 404 `not_found` with none of A's data, and
 * checks that A itself can reach the resource (so the 404 is about the workspace, not the id).
 *
 * test/isolation.test.ts lists a case for every route with a path parameter and fails when a
 * route has none, so routes added later must join it.
 */
export interface IsolationCase {
  /** Route as Fastify registers it: `DELETE /api/v1/api-keys/:id`. */
  route: string;
  /** Creates the resource in workspace A and returns the path params that name it. */
  setup(api: Api, a: Tenant): Promise<Record<string, string>>;
  /** The request body, or a function of the params when the body must name the resource. */
  body?: unknown;
  /** Query parameters, for a route that names the resource there (`?connectionId=`). */
  query?(params: Record<string, string>): Record<string, string>;
  /** What A gets for its own resource (default 200). */
  ownerStatus?: number;
}

export function routePath(route: string, params: Record<string, string>): { method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string } {
  const [method, path] = route.split(' ') as ['GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', string];
  return { method, url: path.replace(/:(\w+)/g, (_, name: string) => params[name] ?? `<missing ${name}>`) };
}

export async function expectIsolated(api: Api, a: Tenant, b: Tenant, testCase: IsolationCase): Promise<void> {
  const params = await testCase.setup(api, a);
  const { method, url: path } = routePath(testCase.route, params);
  const url = testCase.query ? `${path}?${new URLSearchParams(testCase.query(params))}` : path;
  const body = typeof testCase.body === 'function' ? (testCase.body as (p: Record<string, string>) => unknown)(params) : testCase.body;
  const secretValues = Object.values(params).concat(a.email);
  for (const [who, auth] of [
    ['B session', b.session],
    ['B api key', b.apiKey],
  ] as const) {
    const res = await call(api, { method, url, auth, body });
    expect(res.statusCode, `${who} → ${testCase.route}: ${res.body}`).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    for (const value of secretValues) expect(res.body, `${who} saw A's data`).not.toContain(value);
  }
  const own = await call(api, { method, url, auth: a.session, body });
  expect(own.statusCode, `A → ${testCase.route}: ${own.body}`).toBe(testCase.ownerStatus ?? 200);
}
