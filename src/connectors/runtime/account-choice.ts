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

/**
 * The cursor of a read per chosen account (GA4 property, ad account, LinkedIn Page): the last day
 * read of each, kept as JSON, so an account chosen later starts from its own beginning. A state
 * that is not such an object (none yet, or another shape) starts every account afresh.
 */
export type DaysRead = Record<string, string>;

export function daysReadOf(state: string | undefined): DaysRead {
  try {
    const parsed: unknown = state === undefined ? {} : JSON.parse(state);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as DaysRead) : {};
  } catch {
    return {};
  }
}
