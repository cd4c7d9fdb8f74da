import type { RunQueue } from '../queue/run-queue.js';
import type { RequestRunResult, RunRequest, RunStore } from './run-store.js';

/**
 * Asks for a sync of a connection: one transaction records the queued run and sends its job
 * (`RunStore.request`), or answers `already_running` with the run in the way. A worker in this
 * process is woken at once instead of at its next poll.
 */
export async function requestRun(deps: { runs: RunStore; queue?: RunQueue }, request: RunRequest): Promise<RequestRunResult> {
  const result = await deps.runs.request(request);
  if (result.kind === 'queued') deps.queue?.wake();
  return result;
}
