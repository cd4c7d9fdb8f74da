import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousViolations, signUp, startBrowserHub, type BrowserHub } from './support/browser.js';

/**
 * A new user's first hour, in one go and only through the web app: sign up, find HubSpot by
 * search, connect its sandbox, test, run it from its page, then find its rows in the table
 * explorer; connect Google Analytics 4 through the sandbox's consent page, choose a property,
 * sync, and read the chart on the data hub. The other browser tests go deeper into each page.
 */
let t: BrowserHub;
beforeAll(async () => {
  t = await startBrowserHub('journey');
}, 60_000);
afterAll(() => t?.close());

describe('a new user’s first hour', () => {
  it('connects HubSpot and GA4 in sandbox, syncs both, and reads rows and charts', async () => {
    const { page, context } = await t.newPage();
    await signUp(page);

    // HubSpot: search, connect in sandbox, test, save.
    await page.getByLabel('Search integrations').fill('hubspot');
    await page.getByRole('button', { name: 'Connect HubSpot' }).click();
    const wizard = page.getByRole('dialog', { name: 'Connect HubSpot' });
    await wizard.getByRole('button', { name: 'Test connection' }).click();
    await wizard.getByText('HubSpot answered: the connection works.').waitFor();
    await wizard.getByRole('button', { name: 'Save' }).click();
    await wizard.waitFor({ state: 'hidden' });

    // Its page: run now, followed to the end.
    await page.getByRole('link', { name: 'HubSpot (sandbox)' }).click();
    await page.getByRole('heading', { level: 1, name: 'HubSpot (sandbox)' }).waitFor();
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByText(/400 records in/).first().waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'journey-hubspot-synced');

    // The rows, in the table explorer.
    await page.getByRole('link', { name: 'hubspot_contacts table' }).click();
    await page.getByText('Rows 1–25 of 250').waitFor();
    await screenshot(page, 'journey-hubspot-rows');

    // GA4: consent page, a property, a sync, the chart.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
    await page.getByLabel('Search integrations').fill('analytics');
    await page.getByRole('button', { name: 'Connect Google Analytics 4' }).click();
    await page.getByRole('dialog', { name: 'Connect Google Analytics 4' }).getByRole('button', { name: 'Sign in with Google' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    const step = page.getByRole('dialog', { name: 'Connect Google Analytics 4' });
    await step.getByRole('heading', { name: 'Choose the GA4 properties to sync' }).waitFor();
    const boxes = step.getByRole('checkbox');
    for (const box of await boxes.all()) await box.setChecked(false);
    await boxes.first().check();
    await step.getByRole('button', { name: 'Save choice' }).click();
    await step.waitFor({ state: 'hidden' });

    await page.getByRole('link', { name: 'Google Analytics 4 (sandbox)' }).click();
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByText(/730 records in/).first().waitFor({ timeout: 30_000 });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data hub' }).click();
    const ga4 = page.getByRole('region', { name: 'Google Analytics 4' });
    await ga4.getByText('Sandbox data').first().waitFor();
    await expect.poll(() => ga4.getByRole('figure').locator('svg .recharts-line-dots circle').count()).toBe(30);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'journey-data-hub');
    await context.close();
  }, 180_000);
});
