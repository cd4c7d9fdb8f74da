import { TributaryError } from '../../../domain/errors.js';
import type { ConnectionContext } from '../../runtime/hooks.js';
import type { HttpRequest } from '../../runtime/http.js';
import { createPaginator } from '../../runtime/paginators/index.js';

/**
 * Reads a Graph API list edge to its end: each page is `{ data: [...], paging: { next } }`, and
 * `paging.next`, an absolute URL left out on the last page, asks for the following one
 * (https://developers.facebook.com/docs/graph-api/results). The runtime's next-URL paginator
 * follows it, so a link to another host or one already followed stops the read.
 */
export const graphVersion = 'v21.0';

export interface GraphListPage {
  records: Array<Record<string, unknown>>;
  bytes: number;
  /** No page follows this one. */
  last: boolean;
}

export async function* graphList(context: ConnectionContext, path: string, query: Record<string, string>): AsyncGenerator<GraphListPage> {
  const paginator = createPaginator({ style: 'next_url', next: 'paging.next' });
  // Always set for an HTTP connector: the connection's own, or the definition's.
  let request: HttpRequest | undefined = { method: 'GET', url: `${context.baseUrl!}${path}`, query, headers: {} };
  while (request) {
    const { origin, pathname } = new URL(request.url);
    const response = await context.send({ origin, path: pathname, query: request.query });
    const data = (response.body as { data?: unknown } | null)?.data;
    if (!Array.isArray(data) || !data.every((record) => typeof record === 'object' && record !== null)) {
      throw new TributaryError('invalid_response', `Meta Ads: GET ${path} answered without the documented list of data.`, { details: { path: 'data' } });
    }
    request = paginator.next(request, response, data.length);
    yield { records: data as Array<Record<string, unknown>>, bytes: response.bytes, last: request === undefined };
  }
}
