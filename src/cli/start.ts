import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { buildHubApi, openHub } from './hub.js';

/** `tributary start`: the API (and, in later releases, the scheduler and a worker) in one process. */
export async function start(config: Config, logger: Logger): Promise<void> {
  const hub = await openHub(config, logger);
  const api = await buildHubApi(hub);
  await api.listen({ port: config.port, host: config.host });
  const address = api.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.port === 0 ? config.publicUrl.replace(/:\d+$/, `:${port}`) : config.publicUrl;
  console.log(`Tributary is running at ${url}  (API docs: ${url}/docs, data: ${config.dataDir}, store: ${hub.db.engine})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await api.close();
    await hub.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
