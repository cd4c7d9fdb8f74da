import crypto from 'node:crypto';
import { z } from 'zod';
import { TributaryError } from '../../domain/errors.js';
import type { Api, ApiDeps } from '../app.js';
import { errors } from '../schemas.js';

/**
 * For a hub without its own scheduler process (serverless, or an outside cron service): one call
 * queues every connection whose schedule is due, each once, however many callers race.
 * Guarded by `X-Cron-Secret` = TRIBUTARY_CRON_SECRET, compared in constant time; without the
 * setting the route is switched off.
 */
export function internalCronRoutes(app: Api, deps: ApiDeps): void {
  const secret = deps.sync.cronSecret;
  app.post(
    '/internal/cron/sync-due',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Queue every connection whose schedule is due (external schedulers)',
        description: 'Requires the header `X-Cron-Secret` equal to TRIBUTARY_CRON_SECRET; answers 404 when that setting is unset.',
        security: [],
        headers: z.object({ 'x-cron-secret': z.string().max(512).optional() }),
        response: { 200: z.object({ queued: z.number().int() }), ...errors(401, 404) },
      },
    },
    async (request) => {
      if (!secret) throw new TributaryError('not_found', 'The internal cron endpoint is off on this hub; set TRIBUTARY_CRON_SECRET to turn it on.');
      if (!sameSecret(request.headers['x-cron-secret'], secret)) throw new TributaryError('unauthenticated', 'Send the header X-Cron-Secret with the value of TRIBUTARY_CRON_SECRET.');
      return { queued: await deps.sync.runs.enqueueDueRuns() };
    },
  );
}

/** Compares digests, so neither the content nor the length of the secret leaks through timing. */
function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (value: string) => crypto.createHash('sha256').update(value).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}
