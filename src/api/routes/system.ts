import { z } from 'zod';
import { TributaryError } from '../../domain/errors.js';
import type { Api, ApiDeps } from '../app.js';
import { errors } from '../schemas.js';

/** Liveness and readiness, for load balancers and orchestrators. */
export function systemRoutes(app: Api, deps: ApiDeps): void {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: { tags: ['system'], summary: 'Liveness: the process is up', security: [], response: { 200: z.object({ status: z.literal('ok'), version: z.string() }) } },
    },
    async () => ({ status: 'ok' as const, version: deps.settings.version }),
  );

  app.get(
    '/ready',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Readiness: the stores answer and the encryption key is loaded',
        security: [],
        response: { 200: z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.literal('ok')) }), ...errors(503) },
      },
    },
    async () => {
      const checks: Record<string, () => Promise<void>> = {
        database: async () => void (await deps.db.asSystem((tx) => tx.query('SELECT 1'))),
        ...deps.readinessChecks,
      };
      const failed: Record<string, string> = {};
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          await check().catch((error: unknown) => {
            // Our own errors carry a message safe to show; anything else (a driver's) is only logged.
            failed[name] = error instanceof TributaryError ? error.message : 'failed its check; see the logs';
            app.log.warn({ err: error, check: name }, 'readiness check failed');
          });
        }),
      );
      const names = Object.keys(failed).sort();
      if (names.length > 0) throw new TributaryError('not_ready', `Not ready: ${names.map((n) => `${n}: ${failed[n]}`).join('; ')}`, { details: { failed } });
      return { status: 'ready' as const, checks: Object.fromEntries(Object.keys(checks).map((k) => [k, 'ok' as const])) };
    },
  );

  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

}
