import { sandboxOAuthClient, sandboxOAuthServer, type SandboxOAuthOptions, type SandboxOAuthServer } from './oauth-server.js';
import { startSandboxServer, type SandboxSpec } from './sandbox-server.js';

/**
 * How the hub gets a connector's sandbox when a sandbox connection needs it: every built-in
 * connector exports a `SandboxProvider` from its `sandbox.ts`, and `SandboxHost` starts each one
 * on first use and keeps it for the life of the process. A sandbox connection then goes through
 * exactly the same runtime as a live one, only with the instance's base URL, secrets and config.
 */
export interface SandboxInstance {
  /** Where the sandbox answers (`http://127.0.0.1:<port>`); none for a database sandbox. */
  baseUrl?: string;
  /** The credentials the sandbox accepts, used when a sandbox connection is created without any. */
  secrets: Record<string, string>;
  /** Config values the sandbox needs (an account id), used where the connection gives none. */
  config: Record<string, unknown>;
  /** The OAuth client its authorization server (`<baseUrl>/oauth/…`) knows, when the vendor signs in with OAuth. */
  oauthClient?: { clientId: string; clientSecret: string };
  close(): Promise<void>;
}

export interface SandboxProvider {
  start(): Promise<SandboxInstance>;
}

/** A provider for a loopback HTTP sandbox written with the kit. */
export function httpSandbox(spec: () => SandboxSpec, secrets: Record<string, string>, config: Record<string, unknown> = {}): SandboxProvider {
  return {
    async start() {
      const server = await startSandboxServer(spec());
      return { baseUrl: server.url, secrets, config, close: () => server.close() };
    },
  };
}

/**
 * A provider for a sandbox whose vendor signs in with OAuth: the spec gets the sandbox's
 * authorization server (`oauth-server.ts`, shaped by `serverOptions` as the vendor's is), whose routes
 * are served next to the vendor's and whose tokens its API accepts (`oauth.isValidToken`).
 */
export function oauthHttpSandbox(
  vendor: string,
  spec: (oauth: SandboxOAuthServer) => SandboxSpec,
  secrets: Record<string, string>,
  config: Record<string, unknown> = {},
  serverOptions: Omit<SandboxOAuthOptions, 'vendor'> = {},
): SandboxProvider {
  return {
    async start() {
      const oauth = sandboxOAuthServer({ ...serverOptions, vendor });
      const vendorSpec = spec(oauth);
      const server = await startSandboxServer({ ...vendorSpec, routes: [...oauth.routes, ...vendorSpec.routes] });
      return { baseUrl: server.url, secrets, config, oauthClient: sandboxOAuthClient, close: () => server.close() };
    },
  };
}

/** Starts each connector's sandbox once, on first use, and closes them all at shutdown. */
export class SandboxHost {
  readonly #providers: Readonly<Record<string, SandboxProvider>>;
  readonly #running = new Map<string, Promise<SandboxInstance>>();

  constructor(providers: Readonly<Record<string, SandboxProvider>>) {
    this.#providers = providers;
  }

  has(connectorId: string): boolean {
    return Object.hasOwn(this.#providers, connectorId);
  }

  /** The connector's running sandbox, started now if it is not yet. */
  get(connectorId: string): Promise<SandboxInstance> {
    const provider = this.#providers[connectorId];
    if (!provider) return Promise.reject(new Error(`No sandbox for connector "${connectorId}".`));
    let instance = this.#running.get(connectorId);
    if (!instance) {
      instance = provider.start();
      // A sandbox that failed to start is tried again next time instead of failing for ever.
      instance.catch(() => this.#running.delete(connectorId));
      this.#running.set(connectorId, instance);
    }
    return instance;
  }

  async close(): Promise<void> {
    const running = [...this.#running.values()];
    this.#running.clear();
    await Promise.allSettled(running.map(async (instance) => (await instance).close()));
  }
}
