import { z } from 'zod';
import type { HttpRequest, Paginator } from '../http.js';

export const offsetPaginatorConfig = z.strictObject({
  style: z.literal('offset'),
  offsetParam: z.string().min(1),
  limitParam: z.string().min(1),
  /** Records asked for per page; a page with fewer is the last. */
  limit: z.number().int().positive(),
});

export type OffsetPaginatorConfig = z.infer<typeof offsetPaginatorConfig>;

/** The query the read's first request carries, so its page size is `limit` and not the vendor's default. */
export function offsetFirstPage(config: OffsetPaginatorConfig): Record<string, string> {
  return { [config.offsetParam]: '0', [config.limitParam]: String(config.limit) };
}

/** Moves the offset on by the records received; a page shorter than `limit` ends the stream. */
export function offsetPaginator(config: OffsetPaginatorConfig): Paginator {
  let offset = 0;
  return {
    next(previous: HttpRequest, _response, recordsOnPage: number): HttpRequest | undefined {
      if (recordsOnPage < config.limit) return undefined;
      // By the records received rather than by `limit`: a vendor that ignores the limit and sends
      // more must not have its extra records read twice.
      offset += recordsOnPage;
      return { ...previous, query: { ...previous.query, [config.offsetParam]: String(offset), [config.limitParam]: String(config.limit) } };
    },
  };
}
