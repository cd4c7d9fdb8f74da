import { z } from 'zod';
import { TributaryError } from '../../../domain/errors.js';
import type { HttpRequest, HttpResponse, Paginator } from '../http.js';
import { dottedPathSchema, readPath } from '../select.js';
import { followUrl } from './follow-url.js';
import { SeenCursors } from './seen-cursors.js';

export const nextUrlPaginatorConfig = z.strictObject({
  style: z.literal('next_url'),
  /** Where the next page's URL sits in the body (`next`, `links.next`); it may be relative. */
  next: dottedPathSchema,
});

export type NextUrlPaginatorConfig = z.infer<typeof nextUrlPaginatorConfig>;

/** Follows the next-page URL in the body; no URL (missing, null or empty) ends the stream. */
export function nextUrlPaginator(config: NextUrlPaginatorConfig): Paginator {
  const seen = new SeenCursors('next_url');
  return {
    next(previous: HttpRequest, response: HttpResponse): HttpRequest | undefined {
      const href = readPath(response.body, config.next);
      if (href === undefined || href === null || href === '') return undefined;
      if (typeof href !== 'string') {
        throw new TributaryError('invalid_response', `next_url pagination: the value at "${config.next}" is not a URL.`, {
          details: { style: 'next_url', path: config.next },
        });
      }
      return followUrl(previous, href, seen);
    },
  };
}
