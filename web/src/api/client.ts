import createClient from 'openapi-fetch';
import type { components, paths } from './openapi';

/**
 * The hub's public API, typed from its OpenAPI document (`npm run web:types`). The app is served by
 * the hub itself, so requests go to the same origin with the session cookie; nothing here is
 * private to the web app.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

export type Schemas = components['schemas'];

/** An error the API answered, with its message as the API wrote it: shown to people as it is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }

  /** The message for one field of a form (`config.accountId: must be a whole number`), if the error names it. */
  fieldMessage(field: string): string | undefined {
    const fields = (this.details as { fields?: Array<{ field: string; message: string }> } | undefined)?.fields;
    return fields?.find((f) => f.field === field)?.message;
  }
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or an `ApiError` carrying the API's own code and message. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = (error ?? {}) as { error?: { code?: string; message?: string; details?: unknown } };
  throw new ApiError(response.status, body.error?.code ?? 'http_error', body.error?.message ?? `The hub answered ${response.status} ${response.statusText}.`, body.error?.details);
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'The hub could not be reached. Check that it is running, then try again.';
  return error instanceof Error ? error.message : String(error);
}
