import { checkSecrets, type AuthMethodName } from '../connectors/runtime/auth/index.js';
import { oauth2Secrets, type OAuth2AuthConfig } from '../connectors/runtime/auth/oauth2-auth.js';
import { checkConfig } from '../connectors/runtime/config-fields.js';
import type { ConnectorDefinition } from '../connectors/runtime/define.js';
import type { Account, Discovery } from '../connectors/runtime/hooks.js';
import { connectionContext } from '../connectors/runtime/read-stream.js';
import { chosenAccounts } from '../connectors/runtime/account-choice.js';
import { createRequester } from '../connectors/runtime/requester.js';
import { testConnection, type ConnectionTestResult } from '../connectors/runtime/test-connection.js';
import type { RateLimiters } from '../connectors/runtime/token-bucket.js';
import type { SandboxHost } from '../connectors/sandboxes/index.js';
import { assertMove, defaultSchedule, type Connection, type ConnectionMode, type ConnectionSchedule } from '../domain/connections.js';
import { checkSchedule, nextRun } from '../engine/scheduler/schedule.js';
import { invalidField, isTributaryError, notFound, TributaryError } from '../domain/errors.js';
import type { Logger } from '../logging/logger.js';
import { assertLiveAllowed, resolveOAuthClient, resolveTarget, type ConnectorSwitches, type OAuthApps } from '../engine/connections/connection-target.js';
import { refusedGrant, type TokenKeeper } from '../engine/connections/token-keeper.js';
import * as connections from '../store/connection-repository.js';
import { createCredential, deleteCredential, readCredentialSecret, replaceCredentialSecret } from '../store/credential-repository.js';
import { findConnector } from '../store/custom-connector-repository.js';
import type { Database, Queryable } from '../store/db.js';
import { recordEvent } from '../store/event-repository.js';
import { recordHealthCheck } from '../store/health-check-repository.js';
import type { CredentialVault } from '../store/vault/credential-vault.js';

/**
 * What happens to a connection, step by step, with every status change checked against the table
 * in domain/connections.ts and written with an event: create, change, test, disconnect, reconnect,
 * delete. Secrets go into the vault as JSON and come back out only to make a request; what is kept
 * in sight is the masked hint.
 */
export interface ConnectionDeps {
  db: Database;
  catalog: readonly ConnectorDefinition[];
  vault: CredentialVault;
  sandboxes: SandboxHost;
  switches: ConnectorSwitches;
  rateLimiters: RateLimiters;
  logger: Logger;
  /** Refreshes OAuth tokens that are about to expire before a test uses them. */
  tokens?: TokenKeeper;
  /** The operator's OAuth apps, to revoke a grant on disconnect. */
  oauthApps?: OAuthApps;
  /** Handed in by tests; the global fetch otherwise. */
  fetch?: typeof globalThis.fetch;
}

export interface Caller {
  workspaceId: string;
  userId: string | null;
}

export interface ConnectionInput {
  connectorId: string;
  name?: string;
  mode: ConnectionMode;
  authMethod?: string;
  config: Record<string, unknown>;
  secrets?: Record<string, unknown>;
  streams?: string[];
  schedule?: ScheduleInput;
}

export interface ConnectionChangeInput {
  name?: string;
  config?: Record<string, unknown>;
  secrets?: Record<string, unknown>;
  streams?: string[] | null;
  schedule?: ScheduleInput;
}

/** A schedule as sent: `cron` null turns scheduled runs off; the time zone stays as it was when left out. */
export interface ScheduleInput {
  cron: string | null;
  timezone?: string;
}

function checkedSchedule(input: ScheduleInput, current: ConnectionSchedule): { schedule: ConnectionSchedule; nextRunAt: Date | null } {
  const schedule = { cron: input.cron === null ? null : input.cron.trim(), timezone: input.timezone ?? current.timezone };
  checkSchedule(schedule);
  return { schedule, nextRunAt: nextRun(schedule, new Date()) };
}

export interface TestOutcome {
  connection: Connection;
  result: ConnectionTestResult;
}


export async function connectorOf(tx: Queryable, deps: ConnectionDeps, workspaceId: string, connectorId: string): Promise<ConnectorDefinition> {
  const found = await findConnector(tx, deps.catalog, workspaceId, connectorId);
  if (!found) throw new TributaryError('internal', `Connection uses connector "${connectorId}", which is no longer in the catalog.`);
  return found.definition;
}

/** Only what the connector reads: a declared stream, or (for a database, once tested) a discovered table. */
function checkStreams(definition: ConnectorDefinition, discovery: Discovery | undefined, streams: string[] | undefined | null): string[] | null | undefined {
  if (!streams) return streams;
  const declared = Object.keys(definition.streams);
  const known = declared.length > 0 ? declared : discovery ? Object.keys(discovery.streams) : undefined;
  const unknown = known ? streams.findIndex((s) => !known.includes(s)) : -1;
  if (unknown >= 0) throw invalidField(`streams.${unknown}`, `${definition.name} has no stream "${streams[unknown]}" (streams: ${known!.join(', ')})`);
  return [...new Set(streams)];
}

function checkedSecrets(definition: ConnectorDefinition, authMethod: string, secrets: Record<string, unknown> | undefined, mode: ConnectionMode) {
  if (authMethod === 'oauth2') {
    // Tokens come from the provider through the hub's sign-in, never typed in.
    if (secrets !== undefined) throw invalidField('secrets', `${definition.name} signs in with OAuth: leave secrets out and open /api/v1/oauth/${definition.id}/start?connectionId=<id>`);
    return undefined;
  }
  if (secrets === undefined && (mode === 'sandbox' || authMethod === 'none')) return undefined;
  return checkSecrets(authMethod as AuthMethodName, secrets ?? {});
}

export async function createConnection(deps: ConnectionDeps, caller: Caller, input: ConnectionInput): Promise<Connection> {
  const { workspaceId } = caller;
  return deps.db.withWorkspace(workspaceId, async (tx) => {
    const found = await findConnector(tx, deps.catalog, workspaceId, input.connectorId);
    if (!found) throw invalidField('connectorId', `no connector "${input.connectorId}" in the catalog (GET /api/v1/connectors lists them)`);
    const { definition } = found;
    const authMethod = input.authMethod ?? definition.auth[0]!.method;
    if (!definition.auth.some((a) => a.method === authMethod))
      throw invalidField('authMethod', `${definition.name} accepts ${definition.auth.map((a) => a.method).join(', ')}`);
    if (input.mode === 'sandbox' && !deps.sandboxes.has(definition.id)) throw invalidField('mode', `${definition.name} has no sandbox; create the connection in live mode`);
    if (input.mode === 'live') assertLiveAllowed(definition, deps.switches);
    const config = checkConfig(definition, input.config, { requireAll: input.mode === 'live' });
    const secrets = checkedSecrets(definition, authMethod, input.secrets, input.mode);
    const selectedStreams = checkStreams(definition, undefined, input.streams) ?? null;
    const name = input.name ?? `${definition.name}${input.mode === 'sandbox' ? ' (sandbox)' : ''}`;
    const scheduled = checkedSchedule(input.schedule ?? defaultSchedule, defaultSchedule);
    const credential = secrets && (await createCredential(tx, deps.vault, { workspaceId, label: name, secret: JSON.stringify(secrets.secrets), hint: secrets.hint }));
    const created = await connections.createConnection(tx, {
      workspaceId,
      connectorId: definition.id,
      name,
      mode: input.mode,
      authMethod,
      config,
      credentialId: credential ? credential.id : null,
      selectedStreams,
      createdBy: caller.userId,
    });
    const connection = (await connections.updateConnection(tx, workspaceId, created.id, scheduled))!;
    await recordEvent(tx, {
      workspaceId,
      connectionId: connection.id,
      kind: 'connection.created',
      message: `Connection "${name}" to ${definition.name} created in ${input.mode} mode.`,
      details: { connectorId: definition.id, mode: input.mode, authMethod },
      actorId: caller.userId,
    });
    return connection;
  });
}

export async function changeConnection(deps: ConnectionDeps, caller: Caller, id: string, change: ConnectionChangeInput): Promise<Connection> {
  const { workspaceId } = caller;
  return deps.db.withWorkspace(workspaceId, async (tx) => {
    const current = await connections.lockConnection(tx, workspaceId, id);
    if (!current) throw notFound('connection');
    const definition = await connectorOf(tx, deps, workspaceId, current.connectorId);
    const config = change.config && checkConfig(definition, { ...current.config, ...change.config }, { requireAll: current.mode === 'live' });
    const secrets = change.secrets && checkedSecrets(definition, current.authMethod, change.secrets, current.mode);
    if (secrets && current.status === 'disconnected') throw new TributaryError('conflict', 'This connection is disconnected; reconnect it with POST /connections/:id/reconnect.');
    const needsTest = Boolean(config || secrets);
    if (needsTest) assertMove(current.status, 'configuring');
    let credentialId = current.credentialId;
    if (secrets && credentialId) await replaceCredentialSecret(tx, deps.vault, workspaceId, credentialId, JSON.stringify(secrets.secrets), secrets.hint);
    else if (secrets) credentialId = (await createCredential(tx, deps.vault, { workspaceId, label: current.name, secret: JSON.stringify(secrets.secrets), hint: secrets.hint })).id;
    const updated = await connections.updateConnection(tx, workspaceId, id, {
      ...(change.schedule ? checkedSchedule(change.schedule, current.schedule) : {}),
      name: change.name,
      config,
      credentialId,
      selectedStreams: checkStreams(definition, current.discovery as Discovery | undefined, change.streams),
      ...(needsTest ? { status: 'configuring' as const } : {}),
    });
    const changed = Object.keys(change).filter((k) => change[k as keyof ConnectionChangeInput] !== undefined);
    await recordEvent(tx, {
      workspaceId,
      connectionId: id,
      kind: 'connection.updated',
      message: `Connection changed: ${changed.join(', ')}${needsTest ? '; test it again' : ''}.`,
      details: { changed },
      actorId: caller.userId,
    });
    return updated!;
  });
}

/**
 * Runs a connection test: `testing` is written first (so others see it), then one cheap real call
 * through the runtime, then a health check, an event and `connected` or `error`. A vendor refusing
 * the key is an `error` status with `auth_failed`, never a failed request.
 */
export async function runConnectionTest(deps: ConnectionDeps, caller: Caller, id: string): Promise<TestOutcome> {
  const { workspaceId } = caller;
  const prepared = await deps.db.withWorkspace(workspaceId, async (tx) => {
    const current = await connections.lockConnection(tx, workspaceId, id);
    if (!current) throw notFound('connection');
    const definition = await connectorOf(tx, deps, workspaceId, current.connectorId);
    assertMove(current.status, 'testing');
    if (current.mode === 'live') assertLiveAllowed(definition, deps.switches);
    const secrets = current.credentialId ? JSON.parse(await readCredentialSecret(tx, deps.vault, workspaceId, current.credentialId)) : undefined;
    await connections.updateConnection(tx, workspaceId, id, { status: 'testing' });
    return { current, definition, secrets: secrets as unknown };
  });
  const { current, definition } = prepared;
  const result = await probe(deps, current, definition, prepared.secrets);
  const connection = await deps.db.withWorkspace(workspaceId, async (tx) => {
    const check = { workspaceId, connectionId: id, ok: result.ok, responseTimeMs: result.responseTimeMs };
    if (result.ok) {
      await recordHealthCheck(tx, check);
      await recordEvent(tx, {
        workspaceId,
        connectionId: id,
        kind: 'connection.test_succeeded',
        message: `Test succeeded in ${result.responseTimeMs} ms (${current.mode}).`,
        details: { responseTimeMs: result.responseTimeMs, recordsSeen: result.recordsSeen, mode: current.mode },
        actorId: caller.userId,
      });
    } else {
      await recordHealthCheck(tx, { ...check, errorCode: result.error.code, errorMessage: result.error.message });
      await recordEvent(tx, {
        workspaceId,
        connectionId: id,
        kind: 'connection.test_failed',
        message: `Test failed: ${result.error.message}`,
        details: { responseTimeMs: result.responseTimeMs, code: result.error.code, mode: current.mode },
        actorId: caller.userId,
      });
    }
    // A disconnect or an edit that landed while the test ran wins over the test's verdict.
    const now = await connections.lockConnection(tx, workspaceId, id);
    if (!now) throw notFound('connection');
    if (now.status !== 'testing') return now;
    return (await connections.updateConnection(tx, workspaceId, id, {
      status: result.ok ? 'connected' : 'error',
      lastError: result.ok ? null : { code: result.error.code, message: result.error.message },
      lastTestedAt: new Date(),
      ...(result.ok && result.discovery ? { discovery: result.discovery } : {}),
    }))!;
  });
  return { connection, result };
}

/** The test itself, outside any transaction: it waits on the network. Our own bugs are reported as `internal`, never left in `testing`. */
async function probe(deps: ConnectionDeps, connection: Connection, definition: ConnectorDefinition, secrets: unknown): Promise<ConnectionTestResult> {
  const started = performance.now();
  try {
    const fresh = deps.tokens ? await deps.tokens.fresh(connection, secrets) : secrets;
    const target = await resolveTarget({ definition, mode: connection.mode, config: connection.config, secrets: fresh, sandboxes: deps.sandboxes, switches: deps.switches });
    const auth = definition.auth.find((a) => a.method === connection.authMethod) ?? definition.auth[0]!;
    const requester = createRequester({ vendor: definition.name, maxAttempts: 2, connectTimeoutMs: 10_000, readTimeoutMs: 20_000, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
    const rateLimiter = target.rateLimit && deps.rateLimiters.bucketFor(connection.id, target.rateLimit);
    const result = await testConnection(definition, { requester, auth, secrets: target.secrets, baseUrl: target.baseUrl, config: target.config, ...(rateLimiter ? { rateLimiter } : {}) });
    return result.ok ? result : { ...result, error: refusedGrant(connection, result.error) };
  } catch (error) {
    const responseTimeMs = Math.round(performance.now() - started);
    if (isTributaryError(error)) return { ok: false, responseTimeMs, error };
    deps.logger.error({ err: error, connectionId: connection.id }, 'connection test failed unexpectedly');
    return { ok: false, responseTimeMs, error: new TributaryError('internal') };
  }
}

/**
 * Deletes the credential and keeps the connection, its events and health history. An OAuth grant
 * is revoked at the provider first, where it can be; a provider that cannot be reached does not
 * stop the disconnect (the event says so).
 */
export async function disconnectConnection(deps: ConnectionDeps, caller: Caller, id: string): Promise<Connection> {
  const { workspaceId } = caller;
  const revoked = await revokeGrant(deps, workspaceId, id);
  return deps.db.withWorkspace(workspaceId, async (tx) => {
    const current = await connections.lockConnection(tx, workspaceId, id);
    if (!current) throw notFound('connection');
    assertMove(current.status, 'disconnected');
    if (current.credentialId) await deleteCredential(tx, workspaceId, current.credentialId);
    const updated = await connections.updateConnection(tx, workspaceId, id, { status: 'disconnected', credentialId: null, lastError: null });
    const revocation = revoked === undefined ? '' : revoked.ok ? ' The provider revoked the access.' : ` The provider could not revoke the access (${revoked.reason}); remove the app in the provider's settings.`;
    await recordEvent(tx, {
      workspaceId,
      connectionId: id,
      kind: 'connection.disconnected',
      message: `Disconnected: the stored credential was deleted; the history is kept.${revocation}`,
      ...(revoked ? { details: { revoked: revoked.ok } } : {}),
      actorId: caller.userId,
    });
    return updated!;
  });
}

/** Revokes an OAuth connection's grant at its provider; undefined when there is nothing to revoke or no way to. */
async function revokeGrant(deps: ConnectionDeps, workspaceId: string, id: string): Promise<{ ok: true } | { ok: false; reason: string } | undefined> {
  const found = await deps.db.withWorkspace(workspaceId, async (tx) => {
    const current = await connections.getConnection(tx, workspaceId, id);
    if (!current?.credentialId || current.authMethod !== 'oauth2') return undefined;
    const definition = await connectorOf(tx, deps, workspaceId, current.connectorId);
    const auth = definition.auth.find((a): a is OAuth2AuthConfig => a.method === 'oauth2');
    const secrets = oauth2Secrets.safeParse(JSON.parse(await readCredentialSecret(tx, deps.vault, workspaceId, current.credentialId)));
    return auth && secrets.success ? { current, definition, auth, secrets: secrets.data } : undefined;
  });
  if (!found) return undefined;
  try {
    const client = await resolveOAuthClient({ definition: found.definition, auth: found.auth, mode: found.current.mode, config: found.current.config, sandboxes: deps.sandboxes, apps: deps.oauthApps ?? {}, fetch: withTimeout(deps.fetch ?? globalThis.fetch, 10_000) });
    return (await client.revoke(found.secrets)) ? { ok: true } : undefined;
  } catch (error) {
    deps.logger.warn({ err: error, connectionId: id }, 'OAuth revocation failed');
    return { ok: false, reason: isTributaryError(error) ? error.code : 'the provider did not answer' };
  }
}

function withTimeout(fetch: typeof globalThis.fetch, ms: number): typeof globalThis.fetch {
  return (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(ms) });
}

/** What the connection's sign-in can see, to choose from, and which are chosen. */
export async function listAccounts(deps: ConnectionDeps, caller: Caller, id: string): Promise<{ field: string; accounts: Account[]; selected: string[] }> {
  const { connection, definition, choice, secrets } = await deps.db.withWorkspace(caller.workspaceId, async (tx) => {
    const connection = await connections.getConnection(tx, caller.workspaceId, id);
    if (!connection) throw notFound('connection');
    const definition = await connectorOf(tx, deps, caller.workspaceId, connection.connectorId);
    const choice = definition.hooks?.accounts;
    if (!choice) throw new TributaryError('validation_failed', `${definition.name} has no accounts to choose from.`);
    const secrets: unknown = connection.credentialId ? JSON.parse(await readCredentialSecret(tx, deps.vault, caller.workspaceId, connection.credentialId)) : undefined;
    return { connection, definition, choice, secrets };
  });
  const fresh = deps.tokens ? await deps.tokens.fresh(connection, secrets) : secrets;
  const target = await resolveTarget({ definition, mode: connection.mode, config: connection.config, secrets: fresh, sandboxes: deps.sandboxes, switches: deps.switches });
  const auth = definition.auth.find((a) => a.method === connection.authMethod) ?? definition.auth[0]!;
  const requester = createRequester({ vendor: definition.name, maxAttempts: 2, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  const rateLimiter = target.rateLimit && deps.rateLimiters.bucketFor(connection.id, target.rateLimit);
  const accounts = await choice.list(connectionContext(definition, { requester, auth, secrets: target.secrets, baseUrl: target.baseUrl, config: target.config, ...(rateLimiter ? { rateLimiter } : {}) }));
  return { field: choice.field, accounts, selected: chosenAccounts(definition, target.config) };
}

/** Keeps the choice (in the connection's config field), refusing an id the sign-in cannot see. */
export async function chooseAccounts(deps: ConnectionDeps, caller: Caller, id: string, ids: string[]): Promise<{ field: string; accounts: Account[]; selected: string[] }> {
  const { field, accounts } = await listAccounts(deps, caller, id);
  const visible = new Set(accounts.map((a) => a.id));
  const unknown = ids.find((chosen) => !visible.has(chosen));
  if (unknown !== undefined) throw invalidField('ids', `"${unknown}" is not among the accounts this sign-in can see (GET /connections/${id}/accounts lists them)`);
  await deps.db.withWorkspace(caller.workspaceId, async (tx) => {
    const current = await connections.lockConnection(tx, caller.workspaceId, id);
    if (!current) throw notFound('connection');
    await connections.updateConnection(tx, caller.workspaceId, id, { config: { ...current.config, [field]: ids.join(',') } });
    await recordEvent(tx, { workspaceId: caller.workspaceId, connectionId: id, kind: 'connection.accounts_chosen', message: `${ids.length} account(s) chosen to sync.`, details: { ids }, actorId: caller.userId });
  });
  return { field, accounts, selected: ids };
}

/** New secrets (and config) for a connection, in any status, then a test. */
export async function reconnectConnection(deps: ConnectionDeps, caller: Caller, id: string, input: { config?: Record<string, unknown>; secrets?: Record<string, unknown> }): Promise<TestOutcome> {
  const { workspaceId } = caller;
  await deps.db.withWorkspace(workspaceId, async (tx) => {
    const current = await connections.lockConnection(tx, workspaceId, id);
    if (!current) throw notFound('connection');
    const definition = await connectorOf(tx, deps, workspaceId, current.connectorId);
    if (current.mode === 'live') assertLiveAllowed(definition, deps.switches);
    const config = input.config && checkConfig(definition, { ...current.config, ...input.config }, { requireAll: current.mode === 'live' });
    const secrets = checkedSecrets(definition, current.authMethod, input.secrets, current.mode);
    assertMove(current.status, 'configuring');
    if (current.credentialId) await deleteCredential(tx, workspaceId, current.credentialId);
    const credential = secrets && (await createCredential(tx, deps.vault, { workspaceId, label: current.name, secret: JSON.stringify(secrets.secrets), hint: secrets.hint }));
    await connections.updateConnection(tx, workspaceId, id, { status: 'configuring', config, credentialId: credential ? credential.id : null });
    await recordEvent(tx, { workspaceId, connectionId: id, kind: 'connection.reconnected', message: 'Reconnected with new credentials; testing them now.', actorId: caller.userId });
  });
  return runConnectionTest(deps, caller, id);
}

export async function deleteConnection(deps: ConnectionDeps, caller: Caller, id: string): Promise<void> {
  const { workspaceId } = caller;
  await deps.db.withWorkspace(workspaceId, async (tx) => {
    const current = await connections.lockConnection(tx, workspaceId, id);
    if (!current) throw notFound('connection');
    await connections.deleteConnection(tx, workspaceId, id);
    if (current.credentialId) await deleteCredential(tx, workspaceId, current.credentialId);
  });
}
