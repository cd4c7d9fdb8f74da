import { spawn } from 'node:child_process';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import hubspot from '../src/connectors/definitions/hubspot/hubspot.connector.js';
import { hubspotSandboxToken } from '../src/connectors/definitions/hubspot/sandbox.js';
import { readStream } from '../src/connectors/runtime/read-stream.js';
import { createRequester } from '../src/connectors/runtime/requester.js';
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
const root = path.resolve(import.meta.dirname, '..');

const child = spawn(process.execPath, ['--import', 'tsx', 'bench/hubspot-sandbox-process.ts', String(records)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d).trim())));

async function bareLoop(): Promise<number> {
  let count = 0;
  let after: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '100', archived: 'false', ...(after ? { after } : {}) });
    const response = await fetch(`${url}/crm/v3/objects/contacts?${query}`, { headers: { authorization: `Bearer ${hubspotSandboxToken}`, accept: 'application/json' } });
    const body = JSON.parse(await response.text()) as { results: unknown[]; paging?: { next?: { after: string } } };
    count += body.results.length;
    after = body.paging?.next?.after;
  } while (after);
  return count;
}

async function runtimeRead(fetch?: typeof globalThis.fetch): Promise<number> {
  let count = 0;
  const requester = createRequester({ vendor: hubspot.name, ...(fetch ? { fetch } : {}) });
  for await (const batch of readStream(hubspot, 'contacts', { requester, auth: hubspot.auth[0]!, secrets: { token: hubspotSandboxToken }, baseUrl: url })) count += batch.records.length;
  return count;
}

// `unsignalled` is for measurement only: the runtime with fetch called without its abort signal,
// to see what following a signal costs undici per request (timeouts and cancellation need it).
const unsignalled: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, { ...init, signal: undefined });
const sides: Record<string, () => Promise<number>> = { bare: bareLoop, runtime: () => runtimeRead(), unsignalled: () => runtimeRead(unsignalled) };
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
child.kill('SIGTERM');
