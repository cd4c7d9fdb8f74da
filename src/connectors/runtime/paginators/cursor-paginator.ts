import { z } from 'zod';
import { TributaryError } from '../../../domain/errors.js';
import type { HttpRequest, HttpResponse, Paginator } from '../http.js';
import { dottedPathSchema, pathReader, readPath, writePath } from '../select.js';
import { SeenCursors } from './seen-cursors.js';

export const cursorPaginatorConfig = z
  .strictObject({
    style: z.literal('cursor'),
    /** Where the next cursor sits in the body (`paging.next.after`). */
    next: dottedPathSchema,
    /** The query parameter, or the dotted path in a JSON body, that carries the cursor. */
    sendAs: z.string().min(1),
    /** Where the cursor goes; `query` when left out. */
    in: z.enum(['query', 'body']).optional(),
    /** A flag that ends the stream on its own (`{ path: 'has_more', equals: false }`). */
    stopWhen: z.strictObject({ path: dottedPathSchema, equals: z.boolean() }).optional(),
  })
  .refine((config) => config.in !== 'body' || dottedPathSchema.safeParse(config.sendAs).success, {
    path: ['sendAs'],
    message: 'must be a dotted path into the body when "in" is "body"',
  });

export type CursorPaginatorConfig = z.infer<typeof cursorPaginatorConfig>;

/** Sends the cursor the vendor returned; no cursor (missing, null or empty) ends the stream. */
export function cursorPaginator(config: CursorPaginatorConfig): Paginator {
  const seen = new SeenCursors('cursor');
  const inBody = config.in === 'body';
  // Paths split once per read, not on every page.
  const readNext = pathReader(config.next);
  const readStop = config.stopWhen ? pathReader(config.stopWhen.path) : undefined;

  const sentCursor = (request: HttpRequest): string | undefined => {
    const value = inBody ? readPath(request.body, config.sendAs) : request.query[config.sendAs];
    return value === undefined ? undefined : String(value);
  };

  return {
    next(previous: HttpRequest, response: HttpResponse): HttpRequest | undefined {
      const stop = readStop?.(response.body);
      if (config.stopWhen && stop === config.stopWhen.equals) return undefined;
      const cursor = readCursor(readNext(response.body), config.next);
      if (cursor === undefined) {
        if (config.stopWhen && stop === !config.stopWhen.equals) {
          // The flag says more pages follow, yet there is no cursor to ask for them: ending here
          // would drop records without a word.
          throw new TributaryError('invalid_response', `cursor pagination: the page says more pages follow but has no cursor at "${config.next}".`, {
            details: { style: 'cursor', path: config.next },
          });
        }
        return undefined;
      }
      seen.check(sentCursor(previous), cursor);
      return inBody
        ? { ...previous, body: writePath(previous.body ?? {}, config.sendAs, cursor) }
        : { ...previous, query: { ...previous.query, [config.sendAs]: cursor } };
    },
  };
}

/** The cursor found at `path` (named in the error), or undefined when there is none. */
function readCursor(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw new TributaryError('invalid_response', `cursor pagination: the value at "${path}" is not a cursor (a string or number).`, {
    details: { style: 'cursor', path },
  });
}
