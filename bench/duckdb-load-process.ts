import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { hubspotSandboxToken } from '../src/connectors/definitions/hubspot/sandbox.js';
import { duckDbSettings } from '../src/warehouse/duckdb/duckdb-destination.js';

/**
 * The floor under bench:sync, in a process of its own so its memory is its own: the contacts
 * fetched and parsed as the bare loop does, then inserted into a keyed DuckDB table opened with
 * the hub's settings (appended, as a first sync's new keys are: the key index still checks each),
 * one fixed INSERT of JSON lines per 2,500 records with one in flight while the next pages are
 * fetched — the sync's shape with nothing else: no queue, no run, no type inference, no API. What this costs is the fetch's and DuckDB's; what a sync costs above it is
 * the engine's. Prints one JSON line: records, seconds, cpuSeconds, peakMb.
 * Usage: duckdb-load-process.ts <sandbox url> <data dir>
 */
const [url, dir] = process.argv.slice(2) as [string, string];
const headers = { authorization: `Bearer ${hubspotSandboxToken}`, accept: 'application/json' };
const definitions = ((await (await fetch(`${url}/crm/v3/properties/contacts`, { headers })).json()) as { results: Array<{ name: string; type: string }> }).results;
const columns = [
  { name: 'id', type: 'VARCHAR NOT NULL', pointer: '/id' },
  ...definitions.map((d) => ({ name: d.name, type: d.type === 'datetime' ? 'TIMESTAMPTZ' : 'VARCHAR', pointer: `/properties/${d.name}` })),
  { name: 'created_at', type: 'TIMESTAMPTZ', pointer: '/createdAt' },
  { name: 'updated_at', type: 'TIMESTAMPTZ', pointer: '/updatedAt' },
  { name: 'archived', type: 'BOOLEAN', pointer: '/archived' },
];

const instance = await DuckDBInstance.create(':memory:', duckDbSettings(dir, columns.length));
const connection = await instance.connect();
await connection.run(`ATTACH '${path.join(dir, 'floor.duckdb')}' AS floor; USE floor`);
await connection.run(`CREATE TABLE contacts (${columns.map((c) => `"${c.name}" ${c.type}`).join(', ')}, _raw JSON, _synced_at TIMESTAMPTZ, _run_id VARCHAR, PRIMARY KEY (id))`);
const values = columns.map((c, i) => (c.type.startsWith('VARCHAR') ? `"#v"[${i + 1}]` : `TRY_CAST("#v"[${i + 1}] AS ${c.type})`));
const insert = await connection.prepare(
  `INSERT INTO contacts SELECT ${values.join(', ')}, _raw, now(), 'floor'
     FROM (SELECT _raw, json_extract_string(_raw, [${columns.map((c) => `'${c.pointer}'`).join(', ')}]) AS "#v"
             FROM (SELECT unnest(string_split($1::VARCHAR, chr(10)))::JSON AS _raw))`,
);
const write = async (lines: string[]) => {
  insert.bindVarchar(1, lines.join('\n'));
  await insert.run();
};

const cpu = process.cpuUsage();
const started = performance.now();
let records = 0;
let gathered: string[] = [];
let inFlight = Promise.resolve();
let after: string | undefined;
do {
  const query = new URLSearchParams({ limit: '100', archived: 'false', properties: definitions.map((d) => d.name).join(','), ...(after ? { after } : {}) });
  const body = JSON.parse(await (await fetch(`${url}/crm/v3/objects/contacts?${query}`, { headers })).text()) as { results: unknown[]; paging?: { next?: { after: string } } };
  records += body.results.length;
  gathered.push(body.results.map((r) => JSON.stringify(r)).join('\n'));
  after = body.paging?.next?.after;
  if (gathered.length >= 25 || !after) {
    const batch = gathered;
    gathered = [];
    await inFlight;
    inFlight = write(batch);
  }
} while (after);
await inFlight;
const seconds = (performance.now() - started) / 1000;
const { user, system } = process.cpuUsage(cpu);
const peakMb = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
connection.closeSync();
instance.closeSync();
console.log(JSON.stringify({ records, seconds, cpuSeconds: (user + system) / 1e6, peakMb }));
