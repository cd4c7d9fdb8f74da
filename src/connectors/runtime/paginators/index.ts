import { z } from 'zod';
import type { Paginator } from '../http.js';
import { cursorPaginator, cursorPaginatorConfig } from './cursor-paginator.js';
import { linkHeaderPaginator, linkHeaderPaginatorConfig } from './link-header-paginator.js';
import { nextUrlPaginator, nextUrlPaginatorConfig } from './next-url-paginator.js';
import { nonePaginator, nonePaginatorConfig } from './none-paginator.js';
import { offsetFirstPage, offsetPaginator, offsetPaginatorConfig } from './offset-paginator.js';
import { pageNumberFirstPage, pageNumberPaginator, pageNumberPaginatorConfig } from './page-number-paginator.js';

/**
 * A stream's `paginate` entry: one small record per style, told apart by `style`. Built-in
 * definitions meet it at compile time, custom ones arriving as JSON at run time. Each style's
 * schema sits in its own file beside the code that reads it; a new style adds its file, one
 * entry here and one case in each switch below, and the registry test covers it from then on.
 */
export const paginatorConfigSchema = z.discriminatedUnion('style', [
  cursorPaginatorConfig,
  nextUrlPaginatorConfig,
  offsetPaginatorConfig,
  pageNumberPaginatorConfig,
  linkHeaderPaginatorConfig,
  nonePaginatorConfig,
]);

export type PaginatorConfig = z.infer<typeof paginatorConfigSchema>;
export type PaginatorStyle = PaginatorConfig['style'];

/** A fresh paginator for one stream read: cursor-carrying styles remember the cursors sent. */
export function createPaginator(config: PaginatorConfig): Paginator {
  switch (config.style) {
    case 'cursor':
      return cursorPaginator(config);
    case 'next_url':
      return nextUrlPaginator(config);
    case 'offset':
      return offsetPaginator(config);
    case 'page_number':
      return pageNumberPaginator(config);
    case 'link_header':
      return linkHeaderPaginator();
    case 'none':
      return nonePaginator();
  }
}

/**
 * Query parameters the read's first request must carry. `Paginator.next` only shapes later
 * pages; without these an offset read would start at the vendor's default page size, and a
 * first page shorter than `limit` would end the stream early.
 */
export function firstPageQuery(config: PaginatorConfig): Record<string, string> {
  switch (config.style) {
    case 'offset':
      return offsetFirstPage(config);
    case 'page_number':
      return pageNumberFirstPage(config);
    case 'cursor':
    case 'next_url':
    case 'link_header':
    case 'none':
      return {};
  }
}
