import type { Logger } from '../logging/logger.js';

/**
 * Calls `task` every `intervalMs`, one call at a time (a slow call delays the next rather than
 * overlapping it), logging failures instead of stopping. The scheduler and the lease reaper run this way.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(): this {
    this.schedule(0);
    return this;
  }

  /** Runs the task now (tests, and the internal cron endpoint's caller), waiting for a call in progress first. */
  async runOnce(): Promise<void> {
    await this.running;
    this.running = this.task().then(
      () => undefined,
      (error: unknown) => this.logger.error({ err: error, task: this.name }, 'periodic task failed'),
    );
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.runOnce().then(() => this.schedule(this.intervalMs));
    }, delayMs);
    this.timer.unref();
  }
}
