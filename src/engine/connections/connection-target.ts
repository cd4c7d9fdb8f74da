import type { ConnectionMode } from '../../domain/connections.js';
import { TributaryError } from '../../domain/errors.js';
import type { ConnectorDefinition } from '../../connectors/runtime/define.js';
import type { SandboxHost } from '../../connectors/sandboxes/index.js';

/**
 * Where a connection's requests go and with what, decided in one place for tests and syncs alike.
 * Sandbox mode: the connector's loopback sandbox (started on demand), its seeded credentials unless
 * the user entered others (so a wrong key can be tried), and its config where the user gave none.
 * Live mode: the vendor itself, at the connection's own instance URL (a `baseUrl` config field),
 * else the operator's `TRIBUTARY_<ID>_BASE_URL`, else the definition's. Live mode never falls back
 * to sandbox data, and is refused while the operator has switched it off.
 */
export interface ConnectorSwitch {
  /** `TRIBUTARY_<ID>_BASE_URL`: a proxy, a regional endpoint, a test double. */
  baseUrl?: string;
  /** `TRIBUTARY_<ID>_LIVE`; live mode is allowed unless this is false. */
  live?: boolean;
}

export type ConnectorSwitches = Readonly<Record<string, ConnectorSwitch>>;

export interface ConnectionTarget {
  source: ConnectionMode;
  baseUrl: string | undefined;
  config: Record<string, unknown>;
  secrets: unknown;
}

export function assertLiveAllowed(definition: ConnectorDefinition, switches: ConnectorSwitches): void {
  if (switches[definition.id]?.live === false) {
    throw new TributaryError(
      'live_disabled',
      `Live mode is switched off for ${definition.name} on this hub (TRIBUTARY_${definition.id.toUpperCase()}_LIVE=false); create the connection in sandbox mode, or ask the operator to switch it on.`,
      { details: { connectorId: definition.id } },
    );
  }
}

export async function resolveTarget(input: {
  definition: ConnectorDefinition;
  mode: ConnectionMode;
  config: Record<string, unknown>;
  /** The decrypted secrets, or undefined when the connection has none. */
  secrets: unknown;
  sandboxes: SandboxHost;
  switches: ConnectorSwitches;
}): Promise<ConnectionTarget> {
  const { definition, mode, config, secrets, sandboxes, switches } = input;
  if (mode === 'sandbox') {
    if (!sandboxes.has(definition.id)) throw new TributaryError('validation_failed', `${definition.name} has no sandbox; use live mode.`, { details: { field: 'mode' } });
    const sandbox = await sandboxes.get(definition.id);
    // A database sandbox's secret is also its address: a user's own connection string must never be read as sandbox data.
    const ownSecrets = sandbox.baseUrl !== undefined && secrets !== undefined;
    const { baseUrl: _ignored, ...userConfig } = config;
    return { source: 'sandbox', baseUrl: sandbox.baseUrl, config: { ...sandbox.config, ...userConfig }, secrets: ownSecrets ? secrets : sandbox.secrets };
  }
  assertLiveAllowed(definition, switches);
  const instanceUrl = typeof config.baseUrl === 'string' && config.baseUrl !== definition.config.baseUrl?.default ? config.baseUrl : undefined;
  return { source: 'live', baseUrl: instanceUrl ?? switches[definition.id]?.baseUrl ?? definition.baseUrl, config, secrets: secrets ?? {} };
}
