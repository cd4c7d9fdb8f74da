import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { appPages, connectAndSyncHubSpot, openAppPage } from './support/app-pages.js';
import { screenshot, seriousViolations, signUp, startBrowserHub, type AxeFinding, type BrowserHub } from './support/browser.js';

/**
 * Every page of the app, signed in, at a laptop's size and a phone's: no serious or critical axe
 * violation, no sideways scrolling on the phone, and the main navigation in reach on both.
 */
const viewports = [
  { label: 'laptop', width: 1280, height: 800 },
  { label: 'phone', width: 390, height: 844 },
];

let t: BrowserHub;
let session: Awaited<ReturnType<BrowserContext['storageState']>>;
let connectionId: string;

beforeAll(async () => {
  t = await startBrowserHub('a11y');
  const { page, context } = await t.newPage();
  await signUp(page);
  connectionId = await connectAndSyncHubSpot(context.request);
  session = await context.storageState();
  await context.close();
}, 120_000);
afterAll(() => t?.close());

interface PageReport {
  page: string;
  reached: boolean;
  violations: AxeFinding[];
  /** How far the page scrolls sideways, in CSS pixels (0 when it fits). */
  overflow: number;
  navigationVisible: boolean;
}

async function examine(page: Page, name: string, reached: boolean): Promise<PageReport> {
  const overflow = await page.evaluate<number>('Math.max(0, document.documentElement.scrollWidth - innerWidth)');
  const nav = page.getByRole('navigation', { name: 'Main' });
  const navigationVisible = (await nav.count()) === 0 ? false : await nav.getByRole('link', { name: 'Settings' }).isVisible();
  return { page: name, reached, violations: await seriousViolations(page), overflow, navigationVisible };
}

describe('accessibility of every page', () => {
  for (const viewport of viewports) {
    it(`finds no serious violation at ${viewport.width}×${viewport.height}, and nothing scrolls sideways`, async () => {
      const context = await t.browser.newContext({ baseURL: t.url, viewport, storageState: session });
      const page = await context.newPage();
      const reports: PageReport[] = [];
      for (const target of appPages(connectionId)) {
        const reached = await openAppPage(page, target);
        reports.push(await examine(page, target.name, reached));
        await screenshot(page, `a11y-${viewport.label}-${target.name.replace(/\s/g, '-')}`);
      }

      // Keyboard: a new page puts focus on its heading (PageHeading); the main navigation is a few Shift+Tabs back.
      await page.goto('/integrations');
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await expect.poll(() => page.evaluate('document.activeElement?.tagName')).toBe('H1');
      let reachedNav = false;
      for (let i = 0; i < 8 && !reachedNav; i += 1) {
        await page.keyboard.press('Shift+Tab');
        reachedNav = await page.getByRole('navigation', { name: 'Main' }).evaluate((nav) => nav.contains(nav.ownerDocument.activeElement));
      }
      expect(reachedNav, 'Shift+Tab from the page heading reaches the main navigation').toBe(true);

      const signedOut = await t.browser.newContext({ baseURL: t.url, viewport });
      const signIn = await signedOut.newPage();
      await signIn.goto('/signin');
      await signIn.getByRole('heading', { name: 'Sign in' }).waitFor();
      const signInReport = await examine(signIn, 'sign in', true);
      await signedOut.close();
      await context.close();

      expect(reports.filter((r) => r.reached).map((r) => r.page), 'pages the sweep could reach').toEqual(expect.arrayContaining(['integrations', 'connection', 'data hub', 'settings']));
      for (const report of [signInReport, ...reports]) {
        expect(report.violations, `${report.page}: axe`).toEqual([]);
        if (viewport.width < 640) expect(report.overflow, `${report.page}: sideways scroll at ${viewport.width}px`).toBe(0);
        if (report.page !== 'sign in') expect(report.navigationVisible, `${report.page}: main navigation visible`).toBe(true);
      }
    }, 180_000);
  }
});
