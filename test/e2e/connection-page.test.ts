import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubspotSandbox, hubspotSandboxToken } from '../../src/connectors/definitions/hubspot/sandbox.js';
import { startSandboxServer, type SandboxServer } from '../../src/connectors/sandboxes/index.js';
import { screenshot, seriousViolations, signUp, startBrowserHub, type BrowserHub } from './support/browser.js';

/**
 * A person opens a connection's page: tests it, runs it and watches the run, edits the schedule
 * and streams, disconnects it, and reads what it synced in the table explorer. A long run comes
 * from a large HubSpot account: the hub's own sandbox holds 400 records and syncs them in well
 * under a second (progress is saved once a second), so this test serves a slower, bigger copy of
 * it and points the hub's live HubSpot at it (TRIBUTARY_HUBSPOT_BASE_URL).
 */
let t: BrowserHub;
let largeAccount: SandboxServer;
beforeAll(async () => {
  largeAccount = await startSandboxServer(hubspotSandbox({ contacts: 6000 }), { faults: [{ kind: 'slow', delayMs: 200, times: 100_000, path: '/crm/v3/objects/contacts' }] });
  t = await startBrowserHub('connection', { TRIBUTARY_HUBSPOT_BASE_URL: largeAccount.url });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await largeAccount?.close();
});

async function createConnection(page: Page, body: Record<string, unknown>): Promise<string> {
  const answer = await page.request.post('/api/v1/connections', { data: body });
  expect(answer.status()).toBe(201);
  return ((await answer.json()) as { id: string }).id;
}

const textOf = async (page: Page, region: string, stream: string) =>
  (await page.getByRole('region', { name: region }).getByRole('row', { name: new RegExp(`^${stream}\\b`) }).getByRole('cell').nth(1).textContent()) ?? '';

describe('the connection page', () => {
  it('tests, runs, schedules, turns a stream off, disconnects, and shows the synced rows', async () => {
    const { page, context } = await t.newPage();
    await signUp(page);
    const id = await createConnection(page, { connectorId: 'hubspot', name: 'HubSpot (sandbox)' });
    await page.goto(`/connections/${id}`);
    await page.getByRole('heading', { level: 1, name: 'HubSpot (sandbox)' }).waitFor();
    await expect.poll(() => page.getByText('Sandbox', { exact: true }).isVisible()).toBe(true);

    // Two tests: each shows its result, and the health chart draws both checks.
    for (let i = 0; i < 2; i++) {
      await page.getByRole('button', { name: 'Test', exact: true }).click();
      await page.getByText(/Test passed in \d+ ms/).waitFor();
    }
    const health = page.getByRole('figure', { name: /^2 checks: 2 passed, 0 failed/ });
    await health.waitFor();
    await expect.poll(() => health.locator('svg .check-mark.passed').count()).toBe(2);

    // Run now: followed live to its summary, then in the history.
    await page.getByRole('button', { name: 'Run now' }).click();
    const lastRun = page.getByRole('region', { name: 'Last run' });
    await lastRun.getByText('succeeded').first().waitFor({ timeout: 30_000 });
    expect(await textOf(page, 'Last run', 'contacts')).toBe('250');
    await expect.poll(() => lastRun.getByText(/400 records in/).isVisible()).toBe(true);
    await page.getByRole('region', { name: 'Run history' }).getByRole('row', { name: /manual.*succeeded.*400/ }).waitFor();

    // The schedule: a bad expression is refused on its field, a good one shows its next three runs.
    const cron = page.getByLabel('Cron expression');
    await cron.fill('61 * * * *');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByText(/is not a cron expression/).waitFor();
    expect(await cron.getAttribute('aria-invalid')).toBe('true');
    await cron.fill('*/15 * * * *');
    await page.getByLabel('Time zone').fill('Europe/Paris');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    expect(await cron.getAttribute('aria-invalid')).toBeNull();
    await expect.poll(() => page.getByRole('list', { name: 'Next runs' }).getByRole('listitem').count()).toBe(3);

    // A stream off: saved at once, and the hub says so.
    await page.getByRole('checkbox', { name: /^deals/ }).uncheck();
    await expect.poll(async () => ((await (await page.request.get(`/api/v1/connections/${id}`)).json()) as { streams: Array<{ name: string; selected: boolean }> }).streams.find((s) => s.name === 'deals')?.selected).toBe(false);
    expect(await page.getByRole('checkbox', { name: /^deals/ }).isChecked()).toBe(false);

    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'connection-page');
    const narrow = await t.newPage({ width: 390, height: 844 });
    await narrow.context.addCookies(await context.cookies());
    await narrow.page.goto(`/connections/${id}`);
    await narrow.page.getByRole('figure', { name: /^2 checks/ }).waitFor();
    await screenshot(narrow.page, 'connection-page-narrow');
    expect(await narrow.page.evaluate<number>('document.documentElement.scrollWidth - innerWidth')).toBeLessThanOrEqual(0);
    await narrow.context.close();

    // Disconnect, after saying yes in the dialog; by keyboard, Escape backs out and focus returns.
    const disconnectButton = page.getByRole('button', { name: 'Disconnect', exact: true });
    await disconnectButton.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Disconnect' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await disconnectButton.evaluate((button) => button === button.ownerDocument.activeElement)).toBe(true);
    await disconnectButton.click();
    await dialog.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Disconnected' }).waitFor();
    await expect.poll(() => page.getByText('disconnected', { exact: true }).first().isVisible()).toBe(true);
    expect(await dialog.count()).toBe(0);
    // Disconnect is disabled now, so focus lands on Reconnect rather than being lost.
    await expect.poll(() => page.getByRole('button', { name: 'Reconnect', exact: true }).evaluate((button) => button === button.ownerDocument.activeElement)).toBe(true);
    await screenshot(page, 'connection-page-disconnected');

    // Reconnect: a sandbox key connection may leave the secret empty (the sandbox's own is used).
    await page.getByRole('button', { name: 'Reconnect with new credentials' }).click();
    const reconnect = page.getByRole('dialog', { name: 'Reconnect' });
    await reconnect.getByLabel(/Token/).waitFor();
    expect(await reconnect.getByLabel(/Token/).getAttribute('type')).toBe('password');
    expect(await seriousViolations(page)).toEqual([]);
    await reconnect.getByRole('button', { name: 'Reconnect and test' }).click();
    await page.getByText(/Test passed in \d+ ms/).waitFor();
    await expect.poll(() => page.getByText('connected', { exact: true }).first().isVisible()).toBe(true);
    expect(await reconnect.count()).toBe(0);

    // What it synced, in the table explorer: columns with types, a page of rows, the next page.
    await page.getByRole('link', { name: 'hubspot_contacts table' }).click();
    await page.getByRole('heading', { level: 2, name: 'hubspot_contacts' }).waitFor();
    const columns = page.getByRole('list', { name: 'Columns' });
    await columns.getByRole('listitem').filter({ hasText: /^email\s*string$/ }).waitFor();
    await columns.getByRole('listitem').filter({ hasText: /^id\s*string\s*key$/ }).waitFor();
    const rows = page.getByRole('region', { name: 'Rows of hubspot_contacts' });
    await expect.poll(() => rows.getByRole('row').count()).toBe(26);
    await page.getByText('Rows 1–25 of 250').waitFor();
    const firstId = await rows.getByRole('row').nth(1).getByRole('cell').first().textContent();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Rows 26–50 of 250').waitFor();
    await expect.poll(() => rows.getByRole('row').nth(1).getByRole('cell').first().textContent()).not.toBe(firstId);
    await rows.getByRole('button', { name: 'email', exact: true }).click();
    await expect.poll(() => rows.getByRole('columnheader', { name: 'email', exact: true }).getAttribute('aria-sort')).toBe('ascending');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'data-hub-table');
    await context.close();
  }, 180_000);

  it('explains a refused key in plain words, and reconnects with a new one', async () => {
    const { page, context } = await t.newPage();
    await signUp(page);
    const id = await createConnection(page, { connectorId: 'hubspot', mode: 'live', name: 'HubSpot (old key)', secrets: { token: 'pat-na1-revoked-0000' } });
    await page.goto(`/connections/${id}`);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByText(/Test failed after \d+ ms: auth_failed/).waitFor();
    await page.getByRole('heading', { level: 2, name: 'The vendor refused the credentials.' }).waitFor();
    await expect.poll(() => page.getByRole('figure', { name: /1 failed/ }).locator('svg .check-mark.failed').count()).toBe(1);
    expect(await page.getByText('pat-na1-revoked-0000').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'connection-page-refused');

    await page.getByRole('button', { name: 'Reconnect with new credentials' }).click();
    const reconnect = page.getByRole('dialog', { name: 'Reconnect' });
    await reconnect.getByLabel(/Token/).fill(hubspotSandboxToken);
    await reconnect.getByRole('button', { name: 'Reconnect and test' }).click();
    await page.getByText(/Test passed in \d+ ms/).waitFor();
    await expect.poll(() => page.getByRole('heading', { name: 'The vendor refused the credentials.' }).count()).toBe(0);
    await expect.poll(() => page.getByRole('figure', { name: /^2 checks: 1 passed, 1 failed/ }).isVisible()).toBe(true);
    expect(await page.getByText(hubspotSandboxToken).count()).toBe(0);
    await context.close();
  }, 60_000);

  it('reconnects an OAuth connection by signing in with the provider again', async () => {
    const { page, context } = await t.newPage();
    await signUp(page);
    const id = await createConnection(page, { connectorId: 'hubspot', authMethod: 'oauth2', name: 'HubSpot (signed in)' });
    await page.goto(`/connections/${id}`);
    await page.getByRole('button', { name: 'Reconnect', exact: true }).click();
    await page.getByRole('dialog', { name: 'Reconnect' }).getByRole('button', { name: 'Sign in with HubSpot' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByText('Signed in with HubSpot; the test after it passed.').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/connections/${id}`);
    await page.getByRole('heading', { level: 1, name: 'HubSpot (signed in)' }).waitFor();
    await expect.poll(() => page.getByText('connected', { exact: true }).first().isVisible()).toBe(true);
    await context.close();
  }, 60_000);

  it('follows a long run live, its counts growing, and cancels it', async () => {
    const { page, context } = await t.newPage();
    await signUp(page);
    const id = await createConnection(page, { connectorId: 'hubspot', mode: 'live', name: 'HubSpot (large account)', secrets: { token: hubspotSandboxToken } });
    await page.goto(`/connections/${id}`);
    await page.getByRole('heading', { level: 1, name: 'HubSpot (large account)' }).waitFor();
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('region', { name: 'Running now' }).waitFor();

    const seen = new Set<string>();
    const deadline = Date.now() + 30_000;
    while (seen.size < 2 && Date.now() < deadline) {
      const records = await textOf(page, 'Running now', 'contacts').catch(() => '');
      if (records !== '' && records !== '0') seen.add(records);
      await page.waitForTimeout(100);
    }
    expect(seen.size).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'connection-run-live');

    await page.getByRole('button', { name: 'Cancel run' }).click();
    const lastRun = page.getByRole('region', { name: 'Last run' });
    await lastRun.getByText('cancelled').first().waitFor({ timeout: 15_000 });
    await page.getByRole('region', { name: 'Run history' }).getByRole('row', { name: /manual.*cancelled/ }).waitFor();
    await context.close();
  }, 120_000);
});
