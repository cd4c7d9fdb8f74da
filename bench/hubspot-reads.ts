import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import hubspot from '../src/connectors/definitions/hubspot/hubspot.connector.js';
import { hubspotSandboxToken } from '../src/connectors/definitions/hubspot/sandbox.js';
import { connectionContext, readStream } from '../src/connectors/runtime/read-stream.js';
import { createRequester } from '../src/connectors/runtime/requester.js';

/**
 * The two sides every read benchmark compares, over the same HubSpot sandbox pages: a bare loop
 * that fetches and JSON.parses each page, and the connector runtime. Both take the `fetch` to use,
 * so a benchmark can hand both the same stored pages.
 */
export async function bareContactsLoop(url: string, fetch: typeof globalThis.fetch = globalThis.fetch, properties?: string[]): Promise<number> {
  let count = 0;
  let after: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '100', archived: 'false', ...(properties ? { properties: properties.join(',') } : {}), ...(after ? { after } : {}) });
    const response = await fetch(`${url}/crm/v3/objects/contacts?${query}`, { headers: { authorization: `Bearer ${hubspotSandboxToken}`, accept: 'application/json' } });
    const body = JSON.parse(await response.text()) as { results: unknown[]; paging?: { next?: { after: string } } };
    count += body.results.length;
    after = body.paging?.next?.after;
  } while (after);
  return count;
}

export async function runtimeContactsRead(url: string, fetch?: typeof globalThis.fetch): Promise<number> {
  let count = 0;
  const requester = createRequester({ vendor: hubspot.name, ...(fetch ? { fetch } : {}) });
  for await (const batch of readStream(hubspot, 'contacts', { requester, auth: hubspot.auth[0]!, secrets: { token: hubspotSandboxToken }, baseUrl: url })) count += batch.records.length;
  return count;
}

/** The contact properties a sync asks for: what the connector's own discovery finds in the account. */
export async function contactProperties(url: string): Promise<string[]> {
  const requester = createRequester({ vendor: hubspot.name });
  const discovery = await hubspot.hooks!.discover!(connectionContext(hubspot, { requester, auth: hubspot.auth[0]!, secrets: { token: hubspotSandboxToken }, baseUrl: url }));
  return Object.keys(discovery.streams.contacts!.columns);
}

export interface SandboxProcess {
  url: string;
  /** CPU time the sandbox process has spent so far (Linux: from /proc; 0 elsewhere). */
  cpuSeconds(): number;
  stop(): void;
}

/** The HubSpot sandbox with `records` contacts in a process of its own. */
export async function startSandboxProcess(records: number): Promise<SandboxProcess> {
  const root = path.resolve(import.meta.dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/hubspot-sandbox-process.ts', String(records)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d).trim())));
  return { url, cpuSeconds: () => processCpuSeconds(child.pid), stop: () => child.kill('SIGTERM') };
}

/** CPU time a process has spent so far, user and system (Linux: from /proc; 0 elsewhere). */
export function processCpuSeconds(pid: number | undefined): number {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesized name): user and system time in clock ticks (100 a second).
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
