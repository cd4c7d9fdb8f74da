import { TributaryError } from '../../../domain/errors.js';
import type { HttpRequest } from '../http.js';
import type { SeenCursors } from './seen-cursors.js';

/**
 * The request for a next-page URL the vendor sent (in the body or a `Link` header): resolved
 * against the previous URL, with the previous request's headers, and the next URL's query alone,
 * since vendors put everything the next page needs into it.
 */
export function followUrl(previous: HttpRequest, href: string, seen: SeenCursors): HttpRequest {
  const { style } = seen;
  const base = fullUrl(previous);
  let next: URL;
  try {
    next = new URL(href, base);
  } catch (cause) {
    throw new TributaryError('invalid_response', `${style} pagination: the vendor's next-page link is not a URL.`, { details: { style }, cause });
  }
  next.hash = '';
  // The previous request's headers carry the credentials: they go to the same origin only.
  if (next.origin !== base.origin) {
    throw new TributaryError('invalid_response', `${style} pagination: the vendor's next-page link points to another host; the read stopped rather than send credentials there.`, {
      details: { style },
    });
  }
  const keys = [...next.searchParams.keys()];
  if (new Set(keys).size !== keys.length) {
    throw new TributaryError('invalid_response', `${style} pagination: the next-page link repeats a query parameter, which the runtime cannot send yet.`, {
      details: { style },
    });
  }
  seen.check(cursorKey(base), cursorKey(next));
  return { ...previous, url: `${next.origin}${next.pathname}`, query: Object.fromEntries(next.searchParams) };
}

function fullUrl(request: HttpRequest): URL {
  const url = new URL(request.url);
  for (const [name, value] of Object.entries(request.query)) url.searchParams.set(name, value);
  return url;
}

// The same page may come back with its query in another order.
function cursorKey(url: URL): string {
  const copy = new URL(url);
  copy.searchParams.sort();
  return copy.href;
}
