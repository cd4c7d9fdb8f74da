import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import pg from 'pg';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { root, startTributary, type RunningHub } from '../../support/process.js';

/**
 * What every browser test stands on: a real hub (`tributary start`, the built web app) on a fresh
 * data folder and a free port, and Debian's Chromium driven by playwright-core. With DATABASE_URL
 * set the hub keeps its metadata in a schema of its own there, dropped afterwards. Screenshots go
 * to test-results/screenshots/, for people to look at.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const screenshotsDir = path.join(root, 'test-results', 'screenshots');

export interface BrowserHub {
  url: string;
  hub: RunningHub;
  browser: Browser;
  /** A new browser profile (no cookies) at a laptop's size unless told otherwise. */
  newPage(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function startBrowserHub(label: string, env: Record<string, string> = {}): Promise<BrowserHub> {
  if (!fs.existsSync(chromiumPath)) throw new Error(`Browser tests need Chromium at ${chromiumPath}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  if (!fs.existsSync(path.join(root, 'web/dist/index.html'))) throw new Error('Browser tests need the built web app: run npm run build:web.');
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), `tributary-e2e-${label}-`));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const schema = `e2e_${label.replace(/\W/g, '_')}_${process.pid}`;
  const postgres = process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL, TRIBUTARY_DATABASE_SCHEMA: schema } : {};
  const hub = await startTributary({ TRIBUTARY_DATA_DIR: dataDir, PORT: String(port), TRIBUTARY_PUBLIC_URL: url, ...postgres, ...env });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  return {
    url,
    hub,
    browser,
    async newPage(viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ baseURL: url, viewport });
      return { context, page: await context.newPage() };
    },
    async close() {
      await browser.close();
      await hub.stop();
      await fsp.rm(dataDir, { recursive: true, force: true });
      if (process.env.DATABASE_URL) {
        const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
        await client.end();
      }
    },
  };
}

/** Saves a full-page screenshot as test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await fsp.mkdir(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** The page's serious and critical accessibility violations (axe-core, WCAG 2.1 A and AA rules). */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact!, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

/** Signs up a new person through the sign-up page; ends on the integrations page. */
export async function signUp(page: Page, email = `ada-${Date.now()}@example.test`, password = 'a long password here'): Promise<{ email: string; password: string }> {
  await page.goto('/signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
  return { email, password };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
