import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTributary, startTributary, type RunningHub } from './support/process.js';

/** `tributary sync` as a person runs it against a hub running on their laptop. */
let hub: RunningHub;
let dataDir: string;
let apiKey: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-cli-sync-'));
  hub = await startTributary({ TRIBUTARY_DATA_DIR: dataDir });
  const json = { 'content-type': 'application/json' };
  const signup = await fetch(`${hub.url}/api/v1/auth/signup`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'cli@example.test', password: 'a long enough password' }) });
  const cookie = signup.headers.get('set-cookie')!.split(';')[0]!;
  const key = await fetch(`${hub.url}/api/v1/api-keys`, { method: 'POST', headers: { ...json, cookie }, body: JSON.stringify({ name: 'cli' }) });
  apiKey = ((await key.json()) as { key: string }).key;
  await fetch(`${hub.url}/api/v1/connections`, { method: 'POST', headers: { ...json, cookie }, body: JSON.stringify({ connectorId: 'hubspot', name: 'Sales CRM' }) });
});
afterAll(async () => {
  await hub.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('tributary sync', () => {
  it('syncs a connection by name, showing progress and ending with the summary', async () => {
    const result = await runTributary(['sync', 'sales crm'], { TRIBUTARY_API_KEY: apiKey, TRIBUTARY_URL: hub.url });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/[█░]{24} \d+\/\d+ streams · [\d,]+ records/);
    expect(result.stderr).toMatch(/Run [0-9a-f-]{36} succeeded in [\d.]+ s \(attempt 1\): [\d,]+ records/);
    expect(result.stderr).toMatch(/contacts\s+succeeded\s+250 records/);
  });

  it('names the connections there are when none has that name, and exits 1', async () => {
    const result = await runTributary(['sync', 'Marketing'], { TRIBUTARY_API_KEY: apiKey, TRIBUTARY_URL: hub.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no connection named "Marketing" (connections: "Sales CRM")');
  });

  it('asks for an API key when none is set', async () => {
    const result = await runTributary(['sync', 'Sales CRM'], { TRIBUTARY_URL: hub.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('set TRIBUTARY_API_KEY');
  });
});
