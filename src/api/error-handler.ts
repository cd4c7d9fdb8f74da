import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { errorCatalog, TributaryError, type ErrorCode } from '../domain/errors.js';

/**
 * The one place errors become answers: `{ error: { code, message, details } }` with the status
 * from the error catalog. Validation errors name each field; anything unknown is a 500 `internal`
 * carrying the request id, logged with its cause, and never described to the caller.
 */
interface Answer {
  status: number;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
};

function fieldPath(path: unknown, where: string): string {
  const parts = Array.isArray(path) ? path.map(String) : typeof path === 'string' ? path.split('/').filter(Boolean) : [];
  return parts.length > 0 ? parts.join('.') : where;
}

function toAnswer(error: FastifyError | TributaryError | Error): Answer | undefined {
  if (error instanceof TributaryError) return { status: error.status, code: error.code, message: error.message, details: error.details };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as FastifyError).validationContext ?? 'body';
    const fields = error.validation.map((issue) => ({
      field: fieldPath((issue.params as { issue?: { path?: unknown } } | undefined)?.issue?.path ?? issue.instancePath, where),
      message: issue.message ?? 'is not valid',
    }));
    const first = fields[0];
    return {
      status: 400,
      code: 'validation_failed',
      message: first ? `${first.field}: ${first.message}` : errorCatalog.validation_failed.hint,
      details: { in: where, fields },
    };
  }
  const code = (error as FastifyError).code;
  if (code && fastifyCodes[code]) {
    const mapped = fastifyCodes[code];
    const message = code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error instanceof SyntaxError) ? 'The body is not valid JSON.' : errorCatalog[mapped].hint;
    return { status: errorCatalog[mapped].status, code: mapped, message };
  }
  if (error instanceof SyntaxError && (error as FastifyError).statusCode === 400) return { status: 400, code: 'validation_failed', message: 'The body is not valid JSON.' };
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) return { status, code: status === 404 ? 'not_found' : 'validation_failed', message: errorCatalog[status === 404 ? 'not_found' : 'validation_failed'].hint };
  return undefined;
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const answer = toAnswer(error as Error);
    if (answer) {
      if (answer.status >= 500) request.log.error({ err: error }, 'request failed');
      return reply.status(answer.status).send({ error: { code: answer.code, message: answer.message, details: answer.details ?? {} } });
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send({
      error: { code: 'internal', message: `${errorCatalog.internal.hint} (request ${request.id})`, details: { requestId: request.id } },
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}.`, details: {} } }),
  );
}
