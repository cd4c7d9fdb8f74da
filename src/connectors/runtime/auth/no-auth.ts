import { z } from 'zod';
import type { HttpRequest } from '../http.js';

/** Public APIs and servers on a private network. */
export const noAuthConfig = z.object({ method: z.literal('none'), label: z.string().default('No authentication') });
export type NoAuthConfig = z.infer<typeof noAuthConfig>;

export const noSecrets = z.object({});

export function applyNoAuth(_config: NoAuthConfig, _secrets: z.infer<typeof noSecrets>, request: HttpRequest): HttpRequest {
  return request;
}

export function hintNoAuth(): string {
  return '';
}
