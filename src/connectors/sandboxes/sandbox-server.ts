/**
 * A vendor's sandbox: a real `node:http` server on 127.0.0.1 that answers in the vendor's
 * documented shapes, from routes declared as data plus small handlers. Connectors and tests reach
 * it over real HTTP, so auth, pagination, retries and timeouts run exactly as against the vendor.
 * A vendor sandbox (`definitions/<id>/sandbox.ts`) is written with the kit like this:
 *
 * ```ts
 * export function hubspotSandbox({ contacts = 250 } = {}): SandboxSpec {
 *   const collection = pagedCollection(
 *     seededRecords('hubspot/contacts', contacts, (random, i) => ({
 *       id: String(i + 1),
 *       properties: { email: random.email(), firstname: random.word() },
 *       updatedAt: random.isoTimestamp('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z'),
 *     })),
 *     { style: 'cursor', cursorParam: 'after', sizeParam: 'limit', defaultSize: 10, maxSize: 100 },
 *   );
 *   return {
 *     auth: (headers) => headers.authorization === 'Bearer sandbox-token',
 *     errorBody: (status, message) => ({ status: 'error', message, category: status === 401 ? 'INVALID_AUTHENTICATION' : 'ERROR' }),
 *     routes: [{
 *       method: 'GET', path: '/crm/v3/objects/contacts',
 *       handle(ctx) {
 *         const page = collection.page(ctx);
 *         return { body: { results: page.records, ...(page.nextCursor && { paging: { next: { after: page.nextCursor } } }) } };
 *       },
 *     }],
 *   };
 * }
 * // In a test: a 429 on the first request, then the vendor's pages.
 * const sandbox = await startSandboxServer(hubspotSandbox(), { faults: [{ kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 }] });
 * ```
 */
import { Buffer } from 'node:buffer';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpMethod } from '../runtime/http.js';
import { applyFault, FaultPlan, type Fault } from './faults.js';
import { logRequest, type SandboxRequest } from './request-log.js';
import { matchPath } from './route-pattern.js';
import { SandboxError } from './sandbox-error.js';

export interface SandboxSpec {
  routes: SandboxRoute[];
  /** Whether the request carries the sandbox's credentials; left out, every request passes. */
  auth?: (headers: IncomingHttpHeaders, query: Record<string, string>) => boolean;
  /** The vendor's error body; `{ error: { status, message } }` when left out. */
  errorBody?: (status: number, message: string) => unknown;
}

export interface SandboxRoute {
  method: HttpMethod;
  /** `/v1/items/:id`: `:name` segments arrive decoded in `ctx.params`. */
  path: string;
  /** Answers without the sandbox's credentials (an authorization server's pages and token endpoint). */
  public?: boolean;
  handle(ctx: RouteContext): SandboxReply | Promise<SandboxReply>;
}

export interface RouteContext {
  method: HttpMethod;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The parsed body (JSON, or a form's fields as strings); undefined when the request has none. */
  body: unknown;
  /** The request's absolute URL, to build next-page links from. */
  url: URL;
  /** A `repeat_cursor` fault is due: a route that hands out cursors gives back the one this page was asked with. */
  repeatCursor: boolean;
}

export interface SandboxReply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON; undefined sends no body (a 204, or a redirect with its `location` header). */
  body?: unknown;
  /** A page for a person (a consent screen), sent instead of `body`. */
  html?: string;
}

export interface SandboxServerOptions {
  /** 0, the default, lets the system pick a free port. */
  port?: number;
  faults?: readonly Fault[];
}

export interface SandboxServer {
  /** `http://127.0.0.1:<port>`, to use as the connection's base URL. */
  url: string;
  /** Every request received so far, in order, secrets masked. */
  requests: readonly SandboxRequest[];
  /** Adds a fault to the running server, to break the vendor mid-read. */
  inject(fault: Fault): void;
  /** Stops the server, cutting stalled and slow responses; calling it again is harmless. */
  close(): Promise<void>;
}

export async function startSandboxServer(spec: SandboxSpec, options: SandboxServerOptions = {}): Promise<SandboxServer> {
  const plan = new FaultPlan(options.faults);
  const requests: SandboxRequest[] = [];
  const closing = new AbortController();
  const errorBody = spec.errorBody ?? ((status, message) => ({ error: { status, message } }));
  let origin = '';
  let closed: Promise<void> | undefined;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET') as HttpMethod;
    const url = new URL(req.url ?? '/', origin);
    const query = Object.fromEntries(url.searchParams);
    const fault = plan.next(url.pathname);
    requests.push(logRequest(method, url.pathname, query, req.headers, fault?.kind));
    if (fault !== undefined && (await applyFault(fault, res, { signal: closing.signal, errorBody })) === 'answered') return;
    const match = findRoute(spec.routes, method, url.pathname);
    if (spec.auth && !match?.route.public && !spec.auth(req.headers, query)) throw new SandboxError(401, 'The credentials are missing or invalid.');
    if (match === undefined) throw new SandboxError(404, `No route for ${method} ${url.pathname}.`);
    const body = await readBody(req);
    const reply = await match.route.handle({ method, path: url.pathname, params: match.params, query, headers: req.headers, body, url, repeatCursor: fault?.kind === 'repeat_cursor' });
    if (reply.html !== undefined) return void res.writeHead(reply.status ?? 200, { 'content-type': 'text/html; charset=utf-8', ...reply.headers }).end(reply.html);
    sendJson(res, reply.status ?? 200, reply.body, reply.headers);
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      // Closing cut a slow fault short, or a handler failed mid-answer: nothing sensible can follow.
      if (closing.signal.aborted || res.headersSent) return void res.destroy();
      const status = error instanceof SandboxError ? error.status : 500;
      sendJson(res, status, errorBody(status, error instanceof Error ? error.message : String(error)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    requests,
    inject: (fault) => plan.add(fault),
    close() {
      closed ??= new Promise((resolve, reject) => {
        closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        // After close(), so no new connection slips in between.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function findRoute(routes: SandboxRoute[], method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchPath(route.path, path);
    if (params !== undefined) return { route, params };
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  // OAuth's token and revocation endpoints take forms (RFC 6749 §4.1.3), every vendor API JSON.
  if (req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    throw new SandboxError(400, 'The request body is not valid JSON.');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) return void res.writeHead(status, headers).end();
  // One string per page, written once: a Content-Length from its byte length spares chunked
  // encoding, and the string goes to the socket without an intermediate Buffer copy.
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers }).end(text);
}
