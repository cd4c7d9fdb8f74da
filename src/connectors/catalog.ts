import chatwoot from './definitions/chatwoot/chatwoot.connector.js';
import { chatwootSandboxProvider } from './definitions/chatwoot/sandbox.js';
import ga4 from './definitions/ga4/ga4.connector.js';
import { ga4SandboxProvider } from './definitions/ga4/sandbox.js';
import hubspot from './definitions/hubspot/hubspot.connector.js';
import { hubspotSandboxProvider } from './definitions/hubspot/sandbox.js';
import instantly from './definitions/instantly/instantly.connector.js';
import { instantlySandboxProvider } from './definitions/instantly/sandbox.js';
import phantombuster from './definitions/phantombuster/phantombuster.connector.js';
import { phantombusterSandboxProvider } from './definitions/phantombuster/sandbox.js';
import postgres from './definitions/postgres/postgres.connector.js';
import { postgresSandboxProvider } from './definitions/postgres/sandbox.js';
import type { ConnectorDefinition } from './runtime/define.js';
import type { SandboxProvider } from './sandboxes/index.js';

/** The built-in connectors, as plain imports: adding one is a line here and a line in `builtInSandboxes`. */
export const builtInConnectors: readonly ConnectorDefinition[] = [hubspot, instantly, phantombuster, chatwoot, postgres, ga4];

export interface SandboxOptions {
  /** A PostgreSQL server the database sandboxes may create schemas on; PGlite when left out. */
  postgresUrl?: string;
}

/** Every built-in connector's sandbox, by connector id; the hub starts each on first use. */
export function builtInSandboxes(options: SandboxOptions = {}): Record<string, SandboxProvider> {
  return {
    hubspot: hubspotSandboxProvider,
    instantly: instantlySandboxProvider,
    phantombuster: phantombusterSandboxProvider,
    chatwoot: chatwootSandboxProvider,
    ga4: ga4SandboxProvider,
    postgres: postgresSandboxProvider(options.postgresUrl ? { serverUrl: options.postgresUrl } : {}),
  };
}
