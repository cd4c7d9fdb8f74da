import hubspot from './definitions/hubspot/hubspot.connector.js';
import type { ConnectorDefinition } from './runtime/define.js';

/** The built-in connectors, as plain imports: adding one is one line here. */
export const builtInConnectors: readonly ConnectorDefinition[] = [hubspot];
