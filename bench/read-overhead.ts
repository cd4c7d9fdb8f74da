import { hubspotSandbox, hubspotSandboxToken } from '../src/connectors/definitions/hubspot/sandbox.js';
import { startSandboxServer } from '../src/connectors/sandboxes/index.js';
import { bareContactsLoop, runtimeContactsRead } from './hubspot-reads.js';
import { median } from './support.js';

/**
 * `node --import tsx bench/read-overhead.ts [--pages N] [--rounds N]`: the runtime's own cost per
 * page, without the network. The sandbox's pages are read once into memory, then both sides of
 * `read.bench.ts` run against a `fetch` that answers each URL with its stored page as a `Response`:
 * the bare loop (text + JSON.parse) and the connector runtime. The difference per page is what the
 * runtime adds in JavaScript; undici's socket work, the same for both, is left out.
 */
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const pages = Number(arg('pages', '300'));
const rounds = Number(arg('rounds', '30'));

const server = await startSandboxServer(hubspotSandbox({ contacts: pages * 100 }));
const stored = new Map<string, string>();
const pathOf = (url: string) => url.slice(url.indexOf('/crm/'));
{
  let next: string | undefined = `${server.url}/crm/v3/objects/contacts?limit=100&archived=false`;
  while (next) {
    const text: string = await (await fetch(next, { headers: { authorization: `Bearer ${hubspotSandboxToken}` } })).text();
    stored.set(pathOf(next), text);
    const after: string | undefined = (JSON.parse(text) as { paging?: { next?: { after: string } } }).paging?.next?.after;
    next = after ? `${server.url}/crm/v3/objects/contacts?limit=100&archived=false&after=${after}` : undefined;
  }
}
await server.close();

const headers = { 'content-type': 'application/json; charset=utf-8' };
const storedFetch = (async (input: string | URL | Request) => {
  const text = stored.get(pathOf(String(input)));
  if (text === undefined) throw new Error(`no stored page for ${String(input)}`);
  return new Response(text, { status: 200, headers: { ...headers, 'content-length': String(Buffer.byteLength(text)) } });
}) as typeof fetch;
const url = 'http://sandbox.test';

const sides = { bare: () => bareContactsLoop(url, storedFetch), runtime: () => runtimeContactsRead(url, storedFetch) };
const results: Record<string, number[]> = { bare: [], runtime: [] };
for (let i = 0; i < rounds + 3; i++) {
  for (const name of ['runtime', 'bare'] as const) {
    const cpu = process.cpuUsage();
    const n = await sides[name]();
    const used = process.cpuUsage(cpu);
    if (n !== pages * 100) throw new Error(`${name} read ${n} records`);
    if (i >= 3) results[name]!.push((used.user + used.system) / 1000 / pages);
  }
}
const [bare, runtime] = [median(results.bare!), median(results.runtime!)];
// Per round, the runtime against the bare loop just before it: the machine's pace drifts between rounds.
const added = median(results.runtime!.map((r, i) => r - results.bare![i]!));
const ratio = median(results.runtime!.map((r, i) => r / results.bare![i]!));
console.log(`CPU per page, median of ${rounds}: bare ${(bare * 1000).toFixed(1)} µs, runtime ${(runtime * 1000).toFixed(1)} µs; runtime adds ${(added * 1000).toFixed(1)} µs (×${ratio.toFixed(2)})`);
