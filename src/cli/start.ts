import { ConfigError, type Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { buildHubApi, openHub, startScheduler, startWorker } from './hub.js';

/**
 * `tributary start`: the API, the scheduler and a worker in one process, or some of them
 * (`--role api`, `--role worker`, `--role scheduler`, comma-separated) for a deployment that
 * scales them apart on one PostgreSQL.
 */
export const roles = ['api', 'worker', 'scheduler'] as const;
export type Role = (typeof roles)[number];

export function parseRoles(raw: string | undefined): Role[] {
  if (raw === undefined || raw === 'all') return [...roles];
  const picked = raw.split(',').map((r) => r.trim());
  const unknown = picked.find((r) => !(roles as readonly string[]).includes(r));
  if (unknown !== undefined || picked.length === 0) throw new ConfigError('--role', `expected all, or one or more of ${roles.join(', ')} (comma-separated), got "${raw}"`);
  return [...new Set(picked as Role[])];
}

/** Split roles share state through the databases, which the embedded engines keep to one process. */
function checkRolesFit(config: Config, picked: Role[]): void {
  if (picked.length === roles.length) return;
  if (config.database.kind === 'pglite') throw new ConfigError('--role', 'running roles in separate processes needs DATABASE_URL (PostgreSQL): the embedded store belongs to one process');
  if (config.warehouse.kind === 'duckdb' && picked.includes('api') !== picked.includes('worker')) {
    throw new ConfigError('--role', 'the API and the workers in separate processes need TRIBUTARY_WAREHOUSE=postgres://…: a DuckDB file belongs to one process');
  }
}

export async function start(config: Config, logger: Logger, options: { role?: string } = {}): Promise<void> {
  const picked = parseRoles(options.role);
  checkRolesFit(config, picked);
  const hub = await openHub(config, logger);
  const stops: Array<() => Promise<void>> = [];
  if (picked.includes('worker')) stops.push(await startWorker(hub));
  if (picked.includes('scheduler')) stops.push(startScheduler(hub));
  const api = picked.includes('api') ? await buildHubApi(hub) : undefined;
  if (api) {
    await api.listen({ port: config.port, host: config.host });
    const address = api.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = config.port === 0 ? config.publicUrl.replace(/:\d+$/, `:${port}`) : config.publicUrl;
    console.log(`Tributary is running at ${url}  (API docs: ${url}/docs, data: ${config.dataDir}, store: ${hub.db.engine}, warehouse: ${config.warehouse.kind}, roles: ${picked.join(', ')})`);
  } else {
    console.log(`Tributary ${picked.join(' and ')} running  (store: ${hub.db.engine}, warehouse: ${config.warehouse.kind})`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    // Stop taking work first: runs in flight finish their batch and go back to the queue.
    await api?.close();
    for (const stopRole of stops) await stopRole();
    await hub.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
