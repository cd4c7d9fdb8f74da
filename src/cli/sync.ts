import type { z } from 'zod';
import type { runView } from '../api/routes/runs.js';

/**
 * `tributary sync <connection>`: asks a running hub for a sync over its HTTP API, follows the
 * run's server-sent events, draws a progress bar (streams done, records so far, speed) and ends
 * with the summary. The exit code is 0 when the run succeeded.
 */
type Run = z.infer<typeof runView>;

export interface SyncCommandOptions {
  /** The hub's URL (TRIBUTARY_URL, else http://localhost:$PORT). */
  url: string;
  /** A workspace API key (TRIBUTARY_API_KEY). */
  apiKey: string | undefined;
  out?: NodeJS.WriteStream;
}

class CommandError extends Error {}

export async function syncCommand(connection: string, options: SyncCommandOptions): Promise<number> {
  const out = options.out ?? process.stderr;
  try {
    if (!options.apiKey) throw new CommandError('set TRIBUTARY_API_KEY to an API key of the workspace (create one with POST /api/v1/api-keys or in Settings)');
    const client = hubClient(options.url, options.apiKey);
    const id = await connectionId(client, connection);
    const started = await client('POST', `/api/v1/connections/${id}/runs`, { trigger: 'manual' });
    const body = (await started.json()) as Run & { error?: { code: string; message: string; details?: { runId?: string } } };
    // Already running: follow that run instead of failing.
    const runId = started.status === 409 && body.error?.code === 'already_running' ? body.error.details?.runId : started.ok ? body.id : undefined;
    if (!runId) throw new CommandError(errorText(body));
    if (started.status === 409) out.write(`A run of this connection is already going; following it (${runId}).\n`);
    const run = await follow(client, runId, (progress) => drawProgress(out, progress));
    out.write(`${out.isTTY ? '\r\x1b[2K' : ''}${summary(run)}\n`);
    return run.status === 'succeeded' ? 0 : 1;
  } catch (error) {
    if (error instanceof CommandError) out.write(`tributary sync: ${error.message}\n`);
    else if (error instanceof TypeError) out.write(`tributary sync: cannot reach the hub at ${options.url} (${error.message}); is it running?\n`);
    else throw error;
    return 1;
  }
}

type Client = (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<Response>;

function hubClient(url: string, apiKey: string): Client {
  return (method, path, body) =>
    fetch(`${url.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}

function errorText(body: unknown): string {
  const error = (body as { error?: { code: string; message: string } }).error;
  return error ? `${error.message} (${error.code})` : 'the hub answered something unexpected';
}

/** An id as given, or the one connection whose name matches. */
async function connectionId(client: Client, nameOrId: string): Promise<string> {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(nameOrId)) return nameOrId;
  const response = await client('GET', '/api/v1/connections');
  const body = (await response.json()) as { connections?: Array<{ id: string; name: string }> };
  if (!response.ok || !body.connections) throw new CommandError(errorText(body));
  const matches = body.connections.filter((c) => c.name.toLowerCase() === nameOrId.toLowerCase());
  if (matches.length === 1) return matches[0]!.id;
  const names = body.connections.map((c) => `"${c.name}"`).join(', ') || 'none yet';
  throw new CommandError(matches.length === 0 ? `no connection named "${nameOrId}" (connections: ${names})` : `${matches.length} connections are named "${nameOrId}"; pass the id instead`);
}

/** Reads the run's event stream until `end`; the final run. */
async function follow(client: Client, runId: string, onProgress: (run: Run) => void): Promise<Run> {
  const response = await client('GET', `/api/v1/runs/${runId}/stream`);
  if (!response.ok || !response.body) throw new CommandError(errorText(await response.json()));
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of response.body) {
    buffered += decoder.decode(chunk as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const message = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const event = /^event: (\w+)$/m.exec(message)?.[1];
      const data = /^data: (.*)$/m.exec(message)?.[1];
      if (!event || !data) continue;
      const run = JSON.parse(data) as Run;
      if (event === 'end') return run;
      onProgress(run);
    }
  }
  throw new CommandError('the hub closed the progress stream before the run ended');
}

const barWidth = 24;
let lastPlainLine = 0;

export function progressLine(run: Run): string {
  const streams = Object.entries(run.streams);
  const done = streams.filter(([, s]) => s.status !== 'pending' && s.status !== 'running').length;
  const current = streams.find(([, s]) => s.status === 'running');
  const filled = streams.length === 0 ? 0 : Math.round((done / streams.length) * barWidth);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
  const seconds = (run.durationMs ?? 0) / 1000;
  const rate = seconds > 0 ? ` · ${Math.round(run.records / seconds).toLocaleString('en')} rec/s` : '';
  const where = current ? ` · ${current[0]} ${current[1].records.toLocaleString('en')}` : '';
  return `${bar} ${done}/${streams.length} streams · ${run.records.toLocaleString('en')} records${where}${rate} · ${run.status}`;
}

function drawProgress(out: NodeJS.WriteStream, run: Run): void {
  if (out.isTTY) {
    out.write(`\r\x1b[2K${progressLine(run)}`);
    return;
  }
  // Logs and pipes get a line every few seconds, not a redraw per event.
  if (Date.now() - lastPlainLine < 3_000) return;
  lastPlainLine = Date.now();
  out.write(`${progressLine(run)}\n`);
}

export function summary(run: Run): string {
  const seconds = ((run.durationMs ?? 0) / 1000).toFixed(1);
  const lines = [`Run ${run.id} ${run.status} in ${seconds} s (attempt ${run.attempt}): ${run.records.toLocaleString('en')} records, ${(run.bytes / 1e6).toFixed(1)} MB`];
  for (const [name, stream] of Object.entries(run.streams)) {
    lines.push(`  ${name.padEnd(24)} ${stream.status.padEnd(10)} ${stream.records.toLocaleString('en').padStart(12)} records ${String(stream.pages).padStart(7)} pages`);
    for (const warning of stream.warnings ?? []) lines.push(`    note: ${warning}`);
  }
  if (run.error) lines.push(`  error: ${run.error.message} (${run.error.code}${run.error.retryable ? ', retryable' : ''})`);
  return lines.join('\n');
}
