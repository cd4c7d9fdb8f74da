import type { Connection } from '../../domain/connections.js';
import type { ConnectorDefinition } from './define.js';

/** The account ids a connection chose (its `accounts` config field, comma-separated). */
export function chosenAccounts(definition: ConnectorDefinition, config: Record<string, unknown>): string[] {
  const field = definition.hooks?.accounts?.field;
  const value = field === undefined ? undefined : config[field];
  return typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : [];
}

/** A live connection of a connector with accounts to choose cannot sync before it chose some; a sandbox comes with its own. */
export function accountsMissing(definition: ConnectorDefinition, connection: Pick<Connection, 'mode' | 'config'>): boolean {
  return definition.hooks?.accounts !== undefined && connection.mode === 'live' && chosenAccounts(definition, connection.config).length === 0;
}
