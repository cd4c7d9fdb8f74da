import { z } from 'zod';
import type { HttpRequest, HttpResponse, Paginator } from '../http.js';
import { followUrl } from './follow-url.js';
import { SeenCursors } from './seen-cursors.js';

export const linkHeaderPaginatorConfig = z.strictObject({
  style: z.literal('link_header'),
});

export type LinkHeaderPaginatorConfig = z.infer<typeof linkHeaderPaginatorConfig>;

/** Follows the `rel="next"` link of the RFC 8288 `Link` header (GitHub, Shopify REST); none ends the stream. */
export function linkHeaderPaginator(): Paginator {
  const seen = new SeenCursors('link_header');
  return {
    next(previous: HttpRequest, response: HttpResponse): HttpRequest | undefined {
      const header = response.headers.get('link');
      const next = header === null ? undefined : parseLinkHeader(header).find((link) => link.rels.includes('next'));
      return next === undefined ? undefined : followUrl(previous, next.href, seen);
    },
  };
}

export interface Link {
  href: string;
  /** Relation types, lower-cased: `rel="next last"` gives both. */
  rels: string[];
}

/**
 * Parses `<url>; rel="next"; title="a, b", <url>; rel=prev`. A hand-written scanner rather than
 * a split on commas, because quoted parameters and URLs may themselves hold commas and
 * semicolons. Malformed links are skipped, not fatal: only `rel="next"` matters here.
 */
export function parseLinkHeader(header: string): Link[] {
  const links: Link[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < header.length && /\s/.test(header[i] ?? '')) i++;
  };
  while (i < header.length) {
    const open = header.indexOf('<', i);
    const close = open === -1 ? -1 : header.indexOf('>', open);
    if (close === -1) break;
    const link: Link = { href: header.slice(open + 1, close).trim(), rels: [] };
    i = close + 1;
    for (skipSpace(); header[i] === ';'; skipSpace()) {
      i++;
      const name = /^\s*([^=;,\s]+)\s*/.exec(header.slice(i));
      i += name?.[0].length ?? 0;
      let value = '';
      if (header[i] === '=') {
        i++;
        skipSpace();
        value = header[i] === '"' ? quoted() : token();
      }
      if (name?.[1]?.toLowerCase() === 'rel') link.rels.push(...value.toLowerCase().split(/\s+/).filter(Boolean));
    }
    links.push(link);
    while (i < header.length && header[i] !== ',') i++;
    i++;
  }
  return links;

  function quoted(): string {
    let value = '';
    for (i++; i < header.length && header[i] !== '"'; i++) {
      if (header[i] === '\\') i++;
      value += header[i] ?? '';
    }
    i++;
    return value;
  }

  function token(): string {
    const match = /^[^;,]*/.exec(header.slice(i))?.[0] ?? '';
    i += match.length;
    return match.trim();
  }
}
