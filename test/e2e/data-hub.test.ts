import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousViolations, signUp, startBrowserHub, type BrowserHub } from './support/browser.js';

/**
 * The data hub over a synced GA4 sandbox connection: empty states first, then KPI cards labelled
 * sandbox, a chart that follows the granularity and the period, the insights with the facts each
 * step follows from, and the tables. The sandbox's calendar ends on 2026-11-24 (ga4SandboxEndDate).
 */
let t: BrowserHub;
beforeAll(async () => {
  t = await startBrowserHub('datahub');
}, 60_000);
afterAll(() => t?.close());

const dotsOf = (page: Page) => page.getByRole('region', { name: 'Google Analytics 4' }).getByRole('figure').locator('svg .recharts-line-dots circle');

async function checked(page: Page, name: string) {
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, name);
}

describe('the data hub', () => {
  it('leads to Integrations before any metrics, then shows GA4 sandbox KPIs, charts, insights and tables', async () => {
    const { page, context } = await t.newPage();
    await signUp(page);
    await page.getByRole('link', { name: 'Data hub' }).click();
    await page.getByText('No connections with metrics yet.', { exact: false }).waitFor();
    await page.getByRole('link', { name: 'Go to Integrations' }).waitFor();
    await checked(page, 'data-hub-empty');
    await page.getByRole('link', { name: 'Tables' }).click();
    await page.getByText('No tables yet.', { exact: false }).waitFor();
    await checked(page, 'data-hub-tables-empty');

    // A GA4 sandbox connection, signed in with the sandbox's own token, synced through the API.
    const created = await page.request.post('/api/v1/connections', { data: { connectorId: 'ga4', authMethod: 'oauth2' } });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const run = await page.request.post(`/api/v1/connections/${id}/runs?wait=true`, { data: { trigger: 'api' } });
    expect(((await run.json()) as { status: string }).status).toBe('succeeded');

    await page.getByRole('link', { name: 'Overview' }).click();
    await page.reload();
    const ga4 = page.getByRole('region', { name: 'Google Analytics 4' });
    await ga4.waitFor();
    await ga4.getByText('Sandbox data').waitFor();
    const kpis = ga4.getByRole('list', { name: 'Google Analytics 4 headline metrics' }).getByRole('listitem');
    await expect.poll(() => kpis.count()).toBe(8);
    expect(await kpis.first().textContent()).toMatch(/^Sessions[\d,]+.*[+−]?[\d.]+%/);
    await expect.poll(() => dotsOf(page).count()).toBe(30);
    await checked(page, 'data-hub-overview');

    // By week: five buckets over the 30 days; over 90 days, thirteen or fourteen.
    await page.getByLabel('Granularity').selectOption('week');
    await expect.poll(() => dotsOf(page).count()).toBe(5);
    await page.getByLabel('Period').selectOption('90');
    await expect.poll(() => dotsOf(page).count()).toBeGreaterThanOrEqual(13);
    expect(await dotsOf(page).count()).toBeLessThanOrEqual(14);
    expect(page.url()).toContain('granularity=week');
    await ga4.getByLabel('Metric shown for Google Analytics 4').selectOption('revenue');
    await ga4.getByRole('figure').getByText(/^Revenue by week:/).waitFor();

    // A month with a drop: the facts behind it, and steps that say which fact they follow from.
    await page.getByLabel('From', { exact: true }).fill('2026-11-01');
    await page.getByLabel('To', { exact: true }).fill('2026-11-30');
    await page.getByRole('button', { name: 'Apply dates' }).click();
    const insights = page.getByRole('region', { name: 'Insights' });
    const facts = insights.getByRole('region', { name: 'Notable changes' }).getByRole('listitem');
    await expect.poll(() => facts.count()).toBeGreaterThan(0);
    await insights.getByText(/Revenue fell \d+(\.\d)?%/).first().waitFor();
    await insights.getByText(/→/).first().waitFor();
    const steps = insights.getByRole('region', { name: 'Recommended steps' }).getByRole('listitem');
    await expect.poll(() => steps.count()).toBeGreaterThan(0);
    await steps.first().getByRole('link').first().click();
    expect(page.url()).toMatch(/#fact-ga4-/);
    await checked(page, 'data-hub-insights');

    const narrow = await t.newPage({ width: 390, height: 844 });
    await narrow.context.addCookies(await context.cookies());
    await narrow.page.goto('/data?range=90&granularity=week');
    await expect.poll(() => dotsOf(narrow.page).count()).toBeGreaterThanOrEqual(13);
    await screenshot(narrow.page, 'data-hub-overview-narrow');
    expect(await narrow.page.evaluate<number>('document.documentElement.scrollWidth - innerWidth')).toBeLessThanOrEqual(0);
    await narrow.page.getByRole('link', { name: 'Tables' }).click();
    await narrow.page.getByRole('link', { name: 'ga4_traffic_daily' }).click();
    await narrow.page.getByText('Rows 1–25 of 730').waitFor();
    await screenshot(narrow.page, 'data-hub-table-narrow');
    expect(await narrow.page.evaluate<number>('document.documentElement.scrollWidth - innerWidth')).toBeLessThanOrEqual(0);
    await narrow.context.close();

    // The tables it filled, labelled by the sandbox connection behind them.
    await page.getByRole('link', { name: 'Tables' }).click();
    const tables = page.getByRole('region', { name: 'Tables' });
    await tables.getByRole('row', { name: /^ga4_traffic_daily.*730/ }).getByText('Sandbox', { exact: true }).waitFor();
    await tables.getByRole('row', { name: /metrics_daily/ }).waitFor();
    await checked(page, 'data-hub-tables');
    await tables.getByRole('link', { name: 'ga4_traffic_daily' }).click();
    await page.getByRole('heading', { level: 2, name: 'ga4_traffic_daily' }).waitFor();
    await page.getByText('Rows 1–25 of 730').waitFor();
    await checked(page, 'data-hub-table-ga4');

    // Disconnected, its numbers stay but are labelled stale, with a step to sync or reconnect.
    expect((await page.request.post(`/api/v1/connections/${id}/disconnect`)).status()).toBe(200);
    await page.goto('/data');
    await ga4.getByText('⚠ Stale').waitFor();
    await ga4.getByRole('link', { name: 'Google Analytics 4 (sandbox)', exact: true }).waitFor();
    const stale = page.getByRole('region', { name: 'Recommended steps' }).getByRole('listitem').filter({ hasText: /Sync or reconnect/ });
    await stale.getByRole('link', { name: 'Google Analytics 4 (sandbox) is stale' }).waitFor();
    await checked(page, 'data-hub-stale');
    await context.close();
  }, 180_000);
});
