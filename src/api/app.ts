import '../domain/validation-messages.js';
import crypto from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ConnectorDefinition } from '../connectors/runtime/define.js';
import type { ConnectionDeps } from './connection-lifecycle.js';
import type { RunQueue } from '../engine/queue/run-queue.js';
import type { RunStore } from '../engine/runs/run-store.js';
import type { Warehouse } from '../warehouse/destination.js';
import type { Logger } from '../logging/logger.js';
import type { Database } from '../store/db.js';
import type { LoadedKeyring } from '../store/vault/keyring.js';
import { checkAccess } from './auth/access.js';
import type { ExternalJwtVerifier } from './auth/external-jwt.js';
import { createPrincipalResolver, type Credentials } from './auth/principal-resolver.js';
import { installErrorHandler } from './error-handler.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { connectionRoutes } from './routes/connections.js';
import { oauthRoutes } from './routes/oauth.js';
import { connectorRoutes } from './routes/connectors.js';
import { dataHubRoutes } from './routes/data-hub.js';
import { dataRoutes } from './routes/data.js';
import { encryptionKeyRoutes } from './routes/encryption-keys.js';
import { internalCronRoutes } from './routes/internal-cron.js';
import { HubMetrics } from './routes/metrics.js';
import { runRoutes } from './routes/runs.js';
import { authRoutes } from './routes/auth.js';
import { memberRoutes } from './routes/members.js';
import { systemRoutes } from './routes/system.js';
import { workspaceRoutes } from './routes/workspaces.js';
import { webAppRoutes } from './web-app.js';

/** Everything the HTTP API needs, handed in by the composition root (cli/hub.ts) or a test. */
export interface ApiDeps {
  db: Database;
  /** The built-in connector definitions (connectors/catalog.ts). */
  catalog: readonly ConnectorDefinition[];
  /** What connections need: the vault, the sandboxes, the operator switches, the rate limiters. */
  connections: Omit<ConnectionDeps, 'db' | 'catalog' | 'logger'>;
  /** The keys the vault was built with, and where they came from: reported by id only (`GET /encryption-keys`). */
  keys: Pick<LoadedKeyring, 'source' | 'keyring'>;
  /** Runs and the dataset: the run store, this process's queue (to wake a local worker), the warehouse, the cron secret. */
  sync: { runs: RunStore; queue?: RunQueue; warehouse: Warehouse; cronSecret?: string };
  /** Origins besides the hub's own that an OAuth sign-in may return to (a host application's). */
  oauthReturnOrigins?: readonly string[];
  logger: Logger;
  jwtVerifier: ExternalJwtVerifier | undefined;
  settings: {
    publicUrl: string;
    signupEnabled: boolean;
    sessionTtlHours: number;
    version: string;
  };
  /** The built web app to serve at `/` (web-app.ts); none when left out (tests of the API alone). */
  webDir?: string;
  /** Extra readiness checks (the vault's key, later the queue); each throws when not ready. */
  readinessChecks?: Record<string, () => Promise<void>>;
}

export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export const sessionCookie = 'tributary_session';
const requestIdPattern = /^[\w.:-]{1,128}$/;

/** Builds the HTTP API (it does not listen): routes, schemas, auth, errors and docs. */
export async function buildApi(deps: ApiDeps): Promise<Api> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ scope: 'api' }),
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) ? given : crypto.randomUUID();
    },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>() as unknown as Api;

  // JSON only: a text body would reach validation as a string and answer a confusing 400.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app as unknown as FastifyInstance);
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tributary API',
        version: deps.settings.version,
        description:
          'The HTTP API of a Tributary hub. Authenticate with the session cookie (sign in), an API key (`Authorization: Bearer trb_…`) or a JWT from the configured identity provider. Errors are always `{ "error": { "code", "message", "details" } }`.',
      },
      servers: [{ url: deps.settings.publicUrl }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'A workspace API key (trb_…) or an identity provider JWT' },
          session: { type: 'apiKey', in: 'cookie', name: sessionCookie },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const metrics = new HubMetrics({ db: deps.db, ...(deps.sync.queue ? { queueDepth: () => deps.sync.queue!.depth() } : {}) });
  metrics.installOn(app as unknown as FastifyInstance);

  const resolvePrincipal = createPrincipalResolver({ db: deps.db, jwtVerifier: deps.jwtVerifier });
  const credentialsOf = (request: FastifyRequest, workspaceId?: string): Credentials => {
    const auth = request.headers.authorization;
    const header = request.headers['x-workspace-id'];
    return {
      bearer: auth && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : undefined,
      sessionToken: request.cookies[sessionCookie],
      workspaceId: workspaceId ?? (typeof header === 'string' && header !== '' ? header : undefined),
    };
  };

  // One gate for every route: who is calling (principal) and may they (access).
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const access = config.access;
    if (access === undefined) return; // docs and other plugin routes
    const paramName = config.workspaceParam;
    const fromParam = paramName ? (request.params as Record<string, string | undefined>)[paramName] : undefined;
    request.principal = await resolvePrincipal(credentialsOf(request, fromParam));
    checkAccess(request.principal, access);
  });

  await app.register(async (api) => {
    systemRoutes(api as Api, deps);
    internalCronRoutes(api as Api, deps);
    metrics.routes(api as Api);
  });
  await app.register(
    async (api) => {
      authRoutes(api as Api, deps);
      workspaceRoutes(api as Api, deps);
      memberRoutes(api as Api, deps);
      apiKeyRoutes(api as Api, deps);
      encryptionKeyRoutes(api as Api, deps);
      connectorRoutes(api as Api, deps);
      connectionRoutes(api as Api, deps);
      oauthRoutes(api as Api, deps);
      runRoutes(api as Api, deps);
      dataRoutes(api as Api, deps);
      dataHubRoutes(api as Api, deps);
    },
    { prefix: '/api/v1' },
  );
  if (deps.webDir) await webAppRoutes(app as unknown as FastifyInstance, deps.webDir);
  return app;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route param that names the workspace the caller acts in (instead of X-Workspace-Id). */
    workspaceParam?: string;
  }
}
