import { z } from 'zod';
import type { Paginator } from '../http.js';

export const nonePaginatorConfig = z.strictObject({
  style: z.literal('none'),
});

export type NonePaginatorConfig = z.infer<typeof nonePaginatorConfig>;

/** For endpoints that answer everything in one page. */
export function nonePaginator(): Paginator {
  return { next: () => undefined };
}
