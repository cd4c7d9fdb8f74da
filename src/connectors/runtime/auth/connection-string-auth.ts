import { z } from 'zod';
import { TributaryError } from '../../../domain/errors.js';
import type { HttpRequest } from '../http.js';

/** A database URL with its password (`postgres://user:pass@host:5432/db`): read by a database connector's hooks, never sent over HTTP. */
export const connectionStringAuthConfig = z.object({
  method: z.literal('connection_string'),
  label: z.string().default('Connection string'),
});
export type ConnectionStringAuthConfig = z.infer<typeof connectionStringAuthConfig>;

export const connectionStringSecrets = z.object({
  connectionString: z
    .string()
    .min(1, 'connectionString must not be empty')
    .refine((value) => /^postgres(ql)?:\/\/./.test(value), 'connectionString must start with postgres:// or postgresql://'),
});

export function applyConnectionString(_config: ConnectionStringAuthConfig, _secrets: z.infer<typeof connectionStringSecrets>, _request: HttpRequest): HttpRequest {
  throw new TributaryError('internal', 'A connection string authenticates a database connection, not an HTTP request.');
}

/** The address without its password (`postgres://reader:…@db.example.com:5432/shop`). */
export function hintConnectionString(secrets: z.infer<typeof connectionStringSecrets>): string {
  try {
    const url = new URL(secrets.connectionString);
    if (url.password) url.password = '…';
    url.search = '';
    return url.href;
  } catch {
    return 'postgres://…';
  }
}
