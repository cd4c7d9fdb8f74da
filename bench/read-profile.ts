import { PerformanceObserver } from 'node:perf_hooks';
import { bareContactsLoop, runtimeContactsRead, startSandboxProcess } from './hubspot-reads.js';
import { median } from './support.js';

/**
 * `node --import tsx bench/read-profile.ts [--side bare,runtime,unsignalled] [--rounds N] [--records N]`:
 * the two sides of `read.bench.ts` alone, N rounds each, alternating, with the client process's
 * CPU time per page beside the wall time, so the runtime's own cost per page shows apart from the
 * sandbox's. Meant to run under `--cpu-prof` with one side at a time.
 */
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const side = arg('side', 'both');
const rounds = Number(arg('rounds', '5'));
const records = Number(arg('records', '100000'));
const sandbox = await startSandboxProcess(records);

// `unsignalled` is for measurement only: the runtime with fetch called without its abort signal,
// to see what following a signal costs undici per request (timeouts and cancellation need it).
const unsignalled: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, { ...init, signal: undefined });
const sides: Record<string, () => Promise<number>> = {
  bare: () => bareContactsLoop(sandbox.url),
  runtime: () => runtimeContactsRead(sandbox.url),
  unsignalled: () => runtimeContactsRead(sandbox.url, unsignalled),
};
const chosen = side === 'both' ? ['runtime', 'bare'] : side.split(',');
const results: Record<string, { wall: number[]; cpu: number[]; gc: number[] }> = {};
let gcMs = 0;
new PerformanceObserver((list) => list.getEntries().forEach((entry) => (gcMs += entry.duration))).observe({ entryTypes: ['gc'] });
for (const name of chosen) await sides[name]!(); // warm-up
for (let i = 0; i < rounds; i++) {
  for (const name of chosen) {
    const cpu = process.cpuUsage();
    const gcBefore = gcMs;
    const started = performance.now();
    const n = await sides[name]!();
    const wall = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const pages = Math.ceil(n / 100);
    await new Promise((resolve) => setImmediate(resolve)); // let the GC entries of this round arrive
    (results[name] ??= { wall: [], cpu: [], gc: [] }).wall.push(wall / pages);
    results[name].cpu.push((used.user + used.system) / 1000 / pages);
    results[name].gc.push((gcMs - gcBefore) / pages);
  }
}
const bare = results.bare;
for (const [name, r] of Object.entries(results)) {
  // Against the bare round run beside it: the machine's pace drifts from round to round.
  const vsBare = bare && name !== 'bare' ? `  ratio to bare, median of rounds ${median(r.wall.map((w, i) => bare.wall[i]! / w)).toFixed(3)}, CPU added ${median(r.cpu.map((c, i) => c - bare.cpu[i]!)).toFixed(3)} ms` : '';
  console.log(`${name.padEnd(12)} wall/page median ${median(r.wall).toFixed(3)} ms, client CPU/page median ${median(r.cpu).toFixed(3)} ms, GC pause/page ${median(r.gc).toFixed(3)} ms${vsBare}`);
}
sandbox.stop();
