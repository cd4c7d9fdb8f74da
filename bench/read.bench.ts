import { spawn } from 'node:child_process';
import path from 'node:path';
import hubspot from '../src/connectors/definitions/hubspot/hubspot.connector.js';
import { hubspotSandboxToken } from '../src/connectors/definitions/hubspot/sandbox.js';
import { readStream } from '../src/connectors/runtime/read-stream.js';
import { createRequester } from '../src/connectors/runtime/requester.js';

/**
 * `npm run bench:read [-- --records N]`: records per second reading N (default 100,000) HubSpot
 * contacts from the sandbox through the connector runtime (auth, requester, classify, paginator,
 * selector, cursor), next to a bare loop that fetches and JSON.parses the same pages from the same
 * sandbox in the same run, with peak resident memory of each phase. Goal: ≥ 0.9 of the bare loop,
 * peak RSS under 200 MB. The sandbox runs in its own process.
 */
const flag = process.argv.indexOf('--records');
const records = flag > 0 ? Number(process.argv[flag + 1]) : 100_000;
const root = path.resolve(import.meta.dirname, '..');

const child = spawn(process.execPath, ['--import', 'tsx', 'bench/hubspot-sandbox-process.ts', String(records)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d).trim())));

function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  return work().then((result) => {
    clearInterval(timer);
    return { result, seconds: (performance.now() - started) / 1000, peakMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20 };
  });
}

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

async function runtimeRead(): Promise<number> {
  let count = 0;
  const requester = createRequester({ vendor: hubspot.name });
  for await (const batch of readStream(hubspot, 'contacts', { requester, auth: hubspot.auth[0]!, secrets: { token: hubspotSandboxToken }, baseUrl: url })) count += batch.records.length;
  return count;
}

await bareLoop(); // warm both sides (JIT, connection pool) on one full read
await runtimeRead();
// Alternate the two, three rounds each, and keep each one's best: the sandbox's own pace varies.
const rounds: Array<{ bare: Awaited<ReturnType<typeof peakRss<number>>>; runtime: Awaited<ReturnType<typeof peakRss<number>>> }> = [];
for (let i = 0; i < 3; i++) rounds.push({ runtime: await peakRss(runtimeRead), bare: await peakRss(bareLoop) });
const best = (key: 'bare' | 'runtime') => rounds.map((r) => r[key]).reduce((a, b) => (b.seconds < a.seconds ? b : a));
const bare = best('bare');
const runtime = best('runtime');
for (const [name, r] of [['bare fetch + JSON.parse', bare], ['connector runtime', runtime]] as const) {
  console.log(`${name.padEnd(24)} ${r.result} records in ${r.seconds.toFixed(2)} s = ${Math.round(r.result / r.seconds)} records/s, peak RSS ${r.peakMb.toFixed(0)} MB`);
}
console.log(`ratio runtime / bare: ${(bare.seconds / runtime.seconds).toFixed(2)} (goal ≥ 0.9); runtime peak RSS ${runtime.peakMb.toFixed(0)} MB (goal < 200 MB)`);
child.kill('SIGTERM');
