import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { appPages, connectAndSyncHubSpot, openAppPage } from '../test/e2e/support/app-pages.js';
import { seriousViolations, signUp, startBrowserHub, type BrowserHub } from '../test/e2e/support/browser.js';
import { median } from './support.js';

/**
 * `npm run bench:web`: what the web app costs a person, in Debian's Chromium against a real hub on
 * loopback, signed in to a workspace with a few sandbox connections:
 *   (a) the gzipped JavaScript the first page (integrations, after sign-in) loads: every script
 *       response of the load, gzipped here (level 6), against a goal of 250 KB;
 *   (b) the time from navigation start until the integrations page shows the connections' cards,
 *       median of 5 fresh page loads (a new browser profile each: nothing cached), against 1 s;
 *   (c) the serious and critical axe violations on each page.
 */
const runs = Number(process.env.BENCH_RUNS ?? 5);
const goalKb = 250;
const goalMs = 1000;
const root = path.resolve(import.meta.dirname, '..');
const connections = [
  { connectorId: 'instantly', name: 'Bench outreach' },
  { connectorId: 'phantombuster', name: 'Bench scraping' },
];
const cardNames = ['Bench CRM', ...connections.map((c) => c.name)];

if (!fs.existsSync(path.join(root, 'web/dist/index.html'))) execFileSync('npm', ['run', 'build:web'], { cwd: root, stdio: 'inherit' });

/**
 * Run in the page before its own scripts: checks each frame whether every name is on screen and
 * records when, as ms since navigation start. (A string: this project's types know no DOM.)
 */
const watchForCards = `{
  const names = ${JSON.stringify(cardNames)};
  const shown = (name) => [...document.querySelectorAll('main *')].some((el) => el.childElementCount === 0 && el.textContent.trim() === name && el.checkVisibility());
  const check = () => (names.every(shown) ? (window.cardsShownAt = performance.now()) : requestAnimationFrame(check));
  requestAnimationFrame(check);
}`;

interface Load {
  scripts: number;
  rawBytes: number;
  gzipBytes: number;
  encodings: Set<string>;
  cardsMs: number | undefined;
}

async function freshLoad(t: BrowserHub, session: Awaited<ReturnType<BrowserContext['storageState']>>): Promise<Load> {
  const context = await t.browser.newContext({ baseURL: t.url, viewport: { width: 1280, height: 800 }, storageState: session });
  try {
    await context.addInitScript({ content: watchForCards });
    const page = await context.newPage();
    const bodies: Array<Promise<{ body: Buffer; encoding: string }>> = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') bodies.push(response.body().then((body) => ({ body, encoding: response.headers()['content-encoding'] ?? 'none' })));
    });
    await page.goto('/integrations');
    const cardsMs = await page
      .waitForFunction('window.cardsShownAt', undefined, { timeout: 10_000 })
      .then((handle) => handle.jsonValue() as Promise<number>)
      .catch(() => undefined);
    await page.waitForLoadState('networkidle');
    const scripts = await Promise.all(bodies);
    return {
      scripts: scripts.length,
      rawBytes: scripts.reduce((sum, s) => sum + s.body.length, 0),
      gzipBytes: scripts.reduce((sum, s) => sum + zlib.gzipSync(s.body, { level: 6 }).length, 0),
      encodings: new Set(scripts.map((s) => s.encoding)),
      cardsMs,
    };
  } finally {
    await context.close();
  }
}

async function axeCounts(page: Page, connectionId: string): Promise<string[]> {
  const lines: string[] = [];
  for (const target of appPages(connectionId)) {
    const reached = await openAppPage(page, target);
    const found = await seriousViolations(page);
    lines.push(`  ${target.name.padEnd(16)} ${reached ? `${found.length} serious or critical${found.length ? ` (${found.map((f) => f.id).join(', ')})` : ''}` : 'not reached (no link to it yet)'}`);
  }
  return lines;
}

const t = await startBrowserHub('bench-web');
try {
  const { page, context } = await t.newPage();
  await signUp(page);
  const connectionId = await connectAndSyncHubSpot(context.request, 'Bench CRM');
  for (const c of connections) {
    const created = await context.request.post('/api/v1/connections', { data: c });
    if (created.status() !== 201) throw new Error(`creating ${c.name} answered ${created.status()}: ${await created.text()}`);
    await context.request.post(`/api/v1/connections/${((await created.json()) as { id: string }).id}/test`);
  }
  const session = await context.storageState();

  const loads: Load[] = [];
  for (let i = 0; i < runs; i += 1) loads.push(await freshLoad(t, session));
  const first = loads[0]!;
  const kb = first.gzipBytes / 1024;
  console.log(`first page JavaScript (integrations)  ${kb.toFixed(1)} KB gzipped, ${(first.rawBytes / 1024).toFixed(1)} KB raw, ${first.scripts} script(s), served with content-encoding ${[...first.encodings].join(', ')}`);
  console.log(`                                       goal ${goalKb} KB  ratio ${(kb / goalKb).toFixed(2)}x of the goal`);
  const times = loads.map((l) => l.cardsMs).filter((ms): ms is number => ms !== undefined);
  if (times.length < loads.length) {
    console.log(`integrations cards visible            not measured: ${loads.length - times.length} of ${loads.length} loads never showed ${cardNames.join(', ')}`);
  } else {
    const ms = median(times);
    console.log(`integrations cards visible            median ${ms.toFixed(0)} ms (runs: ${times.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`                                       goal ${goalMs} ms  ratio ${(ms / goalMs).toFixed(2)}x of the goal`);
  }
  console.log('axe, serious and critical violations per page (1280×800)');
  for (const line of await axeCounts(page, connectionId)) console.log(line);
  await context.close();
} finally {
  await t.close();
}
