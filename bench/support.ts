import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** Shared by the benchmarks: run autocannon in its own process so it does not share our event loop. */
export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function load(url: string, options: { seconds: number; connections: number; rate?: number; headers?: Record<string, string> }): Promise<LoadResult> {
  const args = ['autocannon', '--json', '-d', String(options.seconds), '-c', String(options.connections)];
  if (options.rate) args.push('--overallRate', String(options.rate));
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}=${value}`);
  args.push(url);
  const { stdout } = await promisify(execFile)('npx', args, { maxBuffer: 64 * 1024 * 1024 });
  const r = JSON.parse(stdout) as { requests: { average: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number };
  return { requestsPerSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Measured<T> {
  result: T;
  seconds: number;
  /** The highest resident memory seen while `work` ran, sampled every 20 ms. */
  peakMb: number;
  /** CPU time this process spent (user + system, every thread: DuckDB's too) while `work` ran. */
  cpuSeconds: number;
}

export async function measured<T>(work: () => Promise<T>): Promise<Measured<T>> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    const result = await work();
    const { user, system } = process.cpuUsage(cpu);
    return { result, seconds: (performance.now() - started) / 1000, peakMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20, cpuSeconds: (user + system) / 1e6 };
  } finally {
    clearInterval(timer);
  }
}

/**
 * `count` pairs of rounds of `first` and `second`, each pair run back to back (so it shares the
 * machine's drift) and the order alternating, so neither side always runs on the warmer machine.
 */
export async function alternatingPairs<A, B>(count: number, first: () => Promise<A>, second: () => Promise<B>): Promise<Array<{ first: A; second: B }>> {
  const pairs: Array<{ first: A; second: B }> = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      const a = await first();
      pairs.push({ first: a, second: await second() });
    } else {
      const b = await second();
      pairs.push({ second: b, first: await first() });
    }
  }
  return pairs;
}
