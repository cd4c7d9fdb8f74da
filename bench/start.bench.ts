import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { median } from './support.js';

/**
 * `npm run bench:start`: time from spawning `npm start` to the first /health 200, median of 5,
 * on a new data folder (migrations and key file created) and on an existing one, next to a bare
 * Fastify server started the same way in the same run.
 */
const runs = Number(process.env.BENCH_RUNS ?? 5);
const root = path.resolve(import.meta.dirname, '..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function timeToHealthy(command: string, args: string[], env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env, PORT: String(port), TRIBUTARY_LOG_LEVEL: 'warn' }, stdio: 'ignore', detached: true });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
      if (ok) return performance.now() - started;
      if (performance.now() - started > 60_000) throw new Error(`${command} did not become healthy in 60 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const bareScript = `import Fastify from 'fastify'; const app = Fastify(); app.get('/health', async () => ({ status: 'ok' })); await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });`;
const bare: number[] = [];
const fresh: number[] = [];
const existing: number[] = [];
for (let i = 0; i < runs; i += 1) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-start-'));
  bare.push(await timeToHealthy('node', ['--input-type=module', '-e', bareScript], {}));
  fresh.push(await timeToHealthy('npm', ['start', '--silent'], { TRIBUTARY_DATA_DIR: dir }));
  existing.push(await timeToHealthy('npm', ['start', '--silent'], { TRIBUTARY_DATA_DIR: dir }));
  await fs.rm(dir, { recursive: true, force: true });
}
const show = (xs: number[]) => `${(median(xs) / 1000).toFixed(2)} s (runs: ${xs.map((x) => (x / 1000).toFixed(2)).join(', ')})`;
console.log(`bare Fastify (node -e)            median ${show(bare)}`);
console.log(`npm start, new data folder        median ${show(fresh)}  ratio ${(median(fresh) / median(bare)).toFixed(1)}x`);
console.log(`npm start, existing data folder   median ${show(existing)}  ratio ${(median(existing) / median(bare)).toFixed(1)}x`);
