import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTributary, startTributary } from './support/process.js';

/** `npm start` as a new user meets it: no configuration, a data folder, a key file, a URL. */
describe('tributary start', () => {
  let dataDir: string;
  // On the PostgreSQL run of the suite, the first test starts the hub on that server too.
  const postgres = process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL, TRIBUTARY_DATABASE_SCHEMA: `test_start_${process.pid}` } : {};
  beforeAll(async () => {
    dataDir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-start-')), 'data');
  });
  afterAll(async () => {
    await fs.rm(path.dirname(dataDir), { recursive: true, force: true });
    if (postgres.DATABASE_URL) {
      const client = new pg.Client({ connectionString: postgres.DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${postgres.TRIBUTARY_DATABASE_SCHEMA}" CASCADE`);
      await client.end();
    }
  });

  it('creates the data folder and a 0600 key file, serves /health, and keeps data across restarts', async () => {
    const first = await startTributary({ TRIBUTARY_DATA_DIR: dataDir, ...postgres });
    expect(first.url).toMatch(/^http:\/\/localhost:\d+$/);
    const health = await fetch(`${first.url}/health`);
    expect(health.status).toBe(200);
    expect((await fs.stat(path.join(dataDir, 'keyring.json'))).mode & 0o777).toBe(0o600);
    const signup = await fetch(`${first.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'keep@example.test', password: 'kept across restarts' }),
    });
    expect(signup.status).toBe(201);
    const keyFile = await fs.readFile(path.join(dataDir, 'keyring.json'), 'utf8');
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await startTributary({ TRIBUTARY_DATA_DIR: dataDir, ...postgres });
    const signin = await fetch(`${second.url}/api/v1/auth/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'keep@example.test', password: 'kept across restarts' }),
    });
    expect(signin.status).toBe(200);
    expect((await fetch(`${second.url}/ready`)).status).toBe(200);
    expect(await fs.readFile(path.join(dataDir, 'keyring.json'), 'utf8')).toBe(keyFile);
    expect(await second.stop('SIGINT')).toBe(0);
  });

  it('stops on a bad setting with one line naming the variable', async () => {
    const result = await runTributary(['start'], { TRIBUTARY_DATA_DIR: dataDir, PORT: 'eighty' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('tributary: configuration error: PORT: must be a whole number, got "eighty"');
  });

  it('has --help for every command', async () => {
    const help = await runTributary(['--help'], {});
    for (const command of ['start', 'migrate', 'keys', 'doctor']) expect(help.stdout).toContain(command);
    expect((await runTributary(['keys', '--help'], {})).stdout).toContain('rotate');
  });

  it('migrate and doctor report on the same data folder', async () => {
    const migrate = await runTributary(['migrate'], { TRIBUTARY_DATA_DIR: dataDir, ...postgres });
    expect(migrate.stdout).toContain(`The ${postgres.DATABASE_URL ? 'postgres' : 'pglite'} store is up to date.`);
    const doctor = await runTributary(['doctor'], { TRIBUTARY_DATA_DIR: dataDir, ...postgres });
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(/primary key\s+k_[0-9a-f]{8}/);
    expect(doctor.stdout).toContain('No problems found.');
  });

  it('doctor names what is wrong, here a malformed TRIBUTARY_ENCRYPTION_KEY, without echoing it', async () => {
    const bad = await runTributary(['doctor'], { TRIBUTARY_DATA_DIR: dataDir, TRIBUTARY_ENCRYPTION_KEY: 'bm90IDMyIGJ5dGVz' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('problem: TRIBUTARY_ENCRYPTION_KEY: must be 32 random bytes in base64');
    expect(bad.stdout).not.toContain('bm90IDMyIGJ5dGVz');
  });
});
