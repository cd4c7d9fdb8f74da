import { z } from 'zod';
import { TributaryError } from '../../../domain/errors.js';
import type { HttpRequest, HttpResponse, Paginator } from '../http.js';
import { dottedPathSchema, readPath } from '../select.js';

export const pageNumberPaginatorConfig = z
  .strictObject({
    style: z.literal('page_number'),
    pageParam: z.string().min(1),
    /** The first page's number; 1 when left out. */
    startAt: z.union([z.literal(0), z.literal(1)]).optional(),
    sizeParam: z.string().min(1).optional(),
    /** Records per page; when known, a shorter page is the last. */
    size: z.number().int().positive().optional(),
    /** Where the body says how many pages there are (`meta.total_pages`). */
    totalPagesPath: dottedPathSchema.optional(),
  })
  .refine((config) => config.sizeParam === undefined || config.size !== undefined, {
    path: ['size'],
    message: 'is required when sizeParam is set',
  });

export type PageNumberPaginatorConfig = z.infer<typeof pageNumberPaginatorConfig>;

/** The query the read's first request carries: the first page's number, and the page size if set. */
export function pageNumberFirstPage(config: PageNumberPaginatorConfig): Record<string, string> {
  const query: Record<string, string> = { [config.pageParam]: String(config.startAt ?? 1) };
  if (config.sizeParam !== undefined) query[config.sizeParam] = String(config.size);
  return query;
}

/** Asks for the following page until a page is empty, short, or the last by the vendor's count. */
export function pageNumberPaginator(config: PageNumberPaginatorConfig): Paginator {
  const startAt = config.startAt ?? 1;
  let page = startAt;
  return {
    next(previous: HttpRequest, response: HttpResponse, recordsOnPage: number): HttpRequest | undefined {
      if (recordsOnPage === 0) return undefined;
      if (config.size !== undefined && recordsOnPage < config.size) return undefined;
      if (config.totalPagesPath !== undefined && page - startAt + 1 >= totalPages(response.body, config.totalPagesPath)) return undefined;
      page += 1;
      const query = { ...previous.query, [config.pageParam]: String(page) };
      if (config.sizeParam !== undefined) query[config.sizeParam] = String(config.size);
      return { ...previous, query };
    },
  };
}

function totalPages(body: unknown, path: string): number {
  const value = readPath(body, path);
  const pages = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof pages === 'number' && Number.isInteger(pages) && pages >= 0) return pages;
  throw new TributaryError('invalid_response', `page_number pagination: the page has no page count (a whole number) at "${path}".`, {
    details: { style: 'page_number', path },
  });
}
