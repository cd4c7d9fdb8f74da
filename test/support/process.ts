import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** Runs the real `tributary` command in a child process, as a user would. */
export const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/tributary.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end. */
export function runTributary(args: string[], env: Record<string, string | undefined>): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface RunningHub {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `tributary start` on a free port and waits for the line that prints its URL; with
 * `--role` and no API among the roles, for the line that says the roles run (`url` is then empty).
 */
export function startTributary(env: Record<string, string | undefined>, args: string[] = []): Promise<RunningHub> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'start', ...args], { cwd: root, env: cleanEnv({ PORT: '0', ...env }) });
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const m = /Tributary is running at (http:\/\/\S+)|Tributary [a-z ]+ running/.exec(out);
      if (m) {
        resolve({
          url: m[1] ?? '',
          child,
          output: () => out,
          stop: (signal = 'SIGTERM') =>
            new Promise((done) => {
              if (child.exitCode !== null) return done(child.exitCode);
              child.once('exit', (code) => done(code));
              child.kill(signal);
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`tributary start exited with ${code}:\n${out}`)));
  });
}

/** The test process's environment without what would change the hub under test. */
function cleanEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TRIBUTARY_') && k !== 'PORT' && k !== 'DATABASE_URL'));
  return { ...base, TRIBUTARY_LOG_LEVEL: 'warn', ...env };
}
