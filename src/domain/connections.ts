import { TributaryError } from './errors.js';

/**
 * A connection is a workspace's configured instance of a connector. Its status moves along the
 * table below and nowhere else: `configuring` (saved, not yet tested) → `testing` → `connected` or
 * `error`; `disconnected` once its credential is deleted, until it is reconnected.
 */
export const connectionStatuses = ['configuring', 'testing', 'connected', 'error', 'disconnected'] as const;
export type ConnectionStatus = (typeof connectionStatuses)[number];

export const connectionModes = ['sandbox', 'live'] as const;
/** `sandbox`: the connector's loopback fake with seeded data; `live`: the vendor itself. Never mixed. */
export type ConnectionMode = (typeof connectionModes)[number];

const transitions: Readonly<Record<ConnectionStatus, readonly ConnectionStatus[]>> = {
  configuring: ['configuring', 'testing', 'connected', 'error', 'disconnected'],
  testing: ['connected', 'error', 'configuring', 'disconnected'],
  // A sync is a test too: failing for the connection's sake (a refused key) makes it `error`, succeeding makes it `connected`.
  connected: ['configuring', 'testing', 'error', 'disconnected'],
  error: ['configuring', 'testing', 'connected', 'disconnected'],
  disconnected: ['configuring'],
};

export function canMove(from: ConnectionStatus, to: ConnectionStatus): boolean {
  return transitions[from].includes(to);
}

/** Throws `conflict` with a message a person can act on when the move is not in the table. */
export function assertMove(from: ConnectionStatus, to: ConnectionStatus): void {
  if (canMove(from, to)) return;
  const advice = from === 'disconnected' ? ' Reconnect it first (POST /connections/:id/reconnect).' : '';
  throw new TributaryError('conflict', `A ${from} connection cannot become ${to}.${advice}`, { details: { from, to } });
}

export interface ConnectionError {
  code: string;
  message: string;
}

export interface Connection {
  id: string;
  workspaceId: string;
  connectorId: string;
  name: string;
  mode: ConnectionMode;
  status: ConnectionStatus;
  authMethod: string;
  /** Non-secret values the user entered (an account id, an instance URL). */
  config: Record<string, unknown>;
  credentialId: string | null;
  /** The masked secret (`pat-…a1b2`); null when there is none (sandbox defaults, disconnected). */
  credentialHint: string | null;
  /** Streams to sync; null means every stream. */
  selectedStreams: string[] | null;
  /** What the connector's `discover` hook found at the last successful test. */
  discovery: unknown;
  lastError: ConnectionError | null;
  lastTestedAt: Date | null;
  /** When scheduled runs happen: a cron expression read in a time zone; `cron` null means off. */
  schedule: ConnectionSchedule;
  /** When the scheduler queues the next run; null while the schedule is off or not yet armed. */
  nextRunAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ConnectionSchedule {
  cron: string | null;
  timezone: string;
}

/** Daily, at 03:00 UTC, unless the user picks another time or turns it off. */
export const defaultSchedule: ConnectionSchedule = { cron: '0 3 * * *', timezone: 'UTC' };

/** Append-only audit of what happened to a connection; messages never hold a secret. */
export interface ConnectionEvent {
  id: string;
  connectionId: string;
  kind: string;
  message: string;
  details: Record<string, unknown>;
  actorId: string | null;
  createdAt: Date;
}

/** One timed probe of a connection (a test). */
export interface HealthCheck {
  id: string;
  connectionId: string;
  ok: boolean;
  responseTimeMs: number;
  errorCode: string | null;
  errorMessage: string | null;
  checkedAt: Date;
}
