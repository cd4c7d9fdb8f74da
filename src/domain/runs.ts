import { TributaryError } from './errors.js';

/**
 * A sync run is one execution for a connection. Its status moves along the table below and
 * nowhere else: `queued` (recorded, its job in the queue) → `running` (a worker holds its lease)
 * → `succeeded | failed | cancelled`. A running run whose worker is lost or shuts down goes back
 * to `queued` as a new attempt; `skipped` ends a run that had nothing to do (a disconnected
 * connection by the time a scheduled run starts).
 */
export const runStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'skipped'] as const;
export type RunStatus = (typeof runStatuses)[number];

export const activeRunStatuses = ['queued', 'running'] as const satisfies readonly RunStatus[];

export const runTriggers = ['manual', 'schedule', 'api', 'webhook'] as const;
export type RunTrigger = (typeof runTriggers)[number];

const transitions: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  queued: ['running', 'cancelled', 'skipped', 'failed'],
  running: ['succeeded', 'failed', 'cancelled', 'queued'],
  succeeded: [],
  failed: [],
  cancelled: [],
  skipped: [],
};

export function isFinished(status: RunStatus): boolean {
  return transitions[status].length === 0;
}

export function assertRunMove(from: RunStatus, to: RunStatus): void {
  if (transitions[from].includes(to)) return;
  throw new TributaryError('conflict', `A ${from} run cannot become ${to}.`, { details: { from, to } });
}

/** What one stream of a run has done so far; updated while the run goes. */
export interface StreamProgress {
  status: 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  records: number;
  pages: number;
  bytes: number;
  /** Columns added or widened in the warehouse table, and other things that did not stop the stream. */
  warnings?: string[];
}

export interface RunError {
  code: string;
  message: string;
  retryable: boolean;
}

export interface SyncRun {
  id: string;
  workspaceId: string;
  connectionId: string;
  trigger: RunTrigger;
  status: RunStatus;
  /** 1 for the first try; a run retried after a retryable failure or a lost worker counts up. */
  attempt: number;
  maxAttempts: number;
  streams: Record<string, StreamProgress>;
  records: number;
  bytes: number;
  error: RunError | null;
  cancelRequested: boolean;
  requestedBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
}
