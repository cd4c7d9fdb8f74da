/**
 * What every built-in connector's test repeats: a sandbox per test, closed after it, and a full
 * read of one stream through the runtime (a requester, then every batch `readStream` yields).
 */
import { afterEach } from 'vitest';
import type { AuthConfig } from '../../src/connectors/runtime/auth/index.js';
import type { ConnectorDefinition } from '../../src/connectors/runtime/define.js';
import type { Discovery } from '../../src/connectors/runtime/hooks.js';
import type { Clock } from '../../src/connectors/runtime/http.js';
import { readStream, type RecordBatch } from '../../src/connectors/runtime/read-stream.js';
import { createRequester } from '../../src/connectors/runtime/requester.js';
import { startSandboxServer, type SandboxServer, type SandboxServerOptions, type SandboxSpec } from '../../src/connectors/sandboxes/index.js';

export interface ReadAllOptions {
  secrets: unknown;
  baseUrl: string;
  /** The connection's auth method; the definition's first when left out. */
  auth?: AuthConfig;
  config?: Record<string, unknown>;
  discovery?: Discovery;
  state?: string;
  clock?: Clock;
  fetch?: typeof fetch;
}

/** Reads one stream to its end and returns every batch, in order. */
export async function readAll(definition: ConnectorDefinition, stream: string, options: ReadAllOptions): Promise<RecordBatch[]> {
  const { clock, fetch, auth = definition.auth[0]!, ...rest } = options;
  const requester = createRequester({ vendor: definition.name, clock, fetch });
  const batches: RecordBatch[] = [];
  // The clock paces the requester's retries and a hook's own waits (a cost-based rate limit) alike.
  for await (const batch of readStream(definition, stream, { ...rest, requester, auth, ...(clock ? { clock } : {}) })) batches.push(batch);
  return batches;
}

/**
 * Call at module level. Each test may `start` a sandbox; it is closed after the test.
 * `server` is the one the running test started.
 */
export function sandboxPerTest() {
  let current: SandboxServer | undefined;
  afterEach(async () => {
    const server = current;
    current = undefined;
    await server?.close();
  });
  return {
    async start(spec: SandboxSpec, options?: SandboxServerOptions): Promise<SandboxServer> {
      current = await startSandboxServer(spec, options);
      return current;
    },
    get server(): SandboxServer {
      if (!current) throw new Error('no sandbox: the test has not started one');
      return current;
    },
  };
}
