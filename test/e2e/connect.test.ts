import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeDefinition } from '../support/custom-connector.js';
import { screenshot, seriousViolations, signUp, startBrowserHub, type BrowserHub } from './support/browser.js';

/**
 * A person connects integrations from the integrations page: HubSpot in sandbox with a test and a
 * save, a refused key, the same by keyboard alone, GA4 through the sandbox's consent page and the
 * account step, and a custom REST connector checked as it is typed.
 */
let t: BrowserHub;
beforeAll(async () => {
  t = await startBrowserHub('connect');
}, 60_000);
afterAll(() => t?.close());

const phone = { width: 390, height: 844 };

async function openWizard(page: Page, search: string, name: string): Promise<Locator> {
  await page.getByLabel('Search integrations').fill(search);
  await page.getByRole('button', { name: `Connect ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Connect ${name}` });
  await dialog.waitFor();
  return dialog;
}

const connectedCard = (page: Page, name: string) => page.getByRole('article').filter({ has: page.getByRole('link', { name }) });

/** Presses Tab until `target` has the focus, as a keyboard user would move to it. */
async function tabTo(page: Page, target: Locator, most = 60): Promise<void> {
  for (let i = 0; i < most; i += 1) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement).catch(() => false)) return;
  }
  throw new Error(`${most} presses of Tab never reached ${String(target)}`);
}

describe('the integrations page and the connect wizard', () => {
  it('finds HubSpot by search, connects it in sandbox, tests it, saves it, and shows it under Connected', async () => {
    const { page, context } = await t.newPage();
    const owner = await signUp(page);
    await page.getByText('Nothing is connected yet.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'integrations-empty');

    const dialog = await openWizard(page, 'hubs', 'HubSpot');
    expect(await dialog.getByRole('radio', { name: /^Sandbox/ }).isChecked()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'connect-wizard');

    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await dialog.getByText('HubSpot answered: the connection works.').waitFor();
    expect(await dialog.getByRole('status').textContent()).toMatch(/Answered in \d+ ms/);
    await screenshot(page, 'connect-wizard-tested');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const card = connectedCard(page, 'HubSpot (sandbox)');
    await card.getByText('connected', { exact: true }).waitFor();
    expect(await card.getByText('Sandbox', { exact: true }).count()).toBe(1);
    await page.getByLabel('Search integrations').fill('');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'integrations-connected');

    // Search and filters combine over both sections.
    await page.getByLabel('Search integrations').fill('hubspot');
    await page.getByRole('button', { name: 'Database', exact: true }).click();
    await page.getByText('No connected integration matches this search.').waitFor();
    await page.getByText('No integration matches this search.').waitFor();
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.getByLabel('Category').selectOption('crm');
    await card.waitFor();
    await expect.poll(() => page.getByRole('button', { name: /^Connect / }).count()).toBe(1);

    const { page: small } = await t.newPage(phone);
    await small.goto('/signin');
    await small.getByLabel('Email').fill(owner.email);
    await small.getByLabel('Password').fill(owner.password);
    await small.getByRole('button', { name: 'Sign in' }).click();
    await connectedCard(small, 'HubSpot (sandbox)').waitFor();
    await screenshot(small, 'integrations-phone');
    const chatwoot = await openWizard(small, 'chatwoot', 'Chatwoot');
    await screenshot(small, 'connect-wizard-phone');
    // A value the schema refuses is marked on leaving the field, and the API's own refusal lands on the same field.
    await chatwoot.getByLabel(/^Account ID/).fill('abc');
    await chatwoot.getByLabel(/^Account ID/).press('Tab');
    await chatwoot.getByText('must be a whole number').waitFor();
    await chatwoot.getByRole('button', { name: 'Test connection' }).click();
    await chatwoot.getByRole('alert').getByText('config.accountId: must be a whole number').waitFor();
    expect(await chatwoot.getByLabel(/^Account ID/).getAttribute('aria-invalid')).toBe('true');
    await screenshot(small, 'connect-wizard-phone-invalid');
    await chatwoot.getByRole('button', { name: 'Cancel' }).click();

    // A viewer sees the connections and the catalog, and no way to connect.
    const viewerEmail = `viewer-${Date.now()}@example.test`;
    expect((await page.request.post('/api/v1/members', { data: { email: viewerEmail, role: 'viewer' } })).status()).toBe(201);
    const { page: viewer } = await t.newPage();
    await signUp(viewer, viewerEmail);
    await connectedCard(viewer, 'HubSpot (sandbox)').waitFor();
    await viewer.getByText(/can look but not connect/).waitFor();
    expect(await viewer.getByRole('button', { name: /^Connect / }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'New custom connector' }).count()).toBe(0);
    await screenshot(viewer, 'integrations-viewer');
    await context.close();
  }, 120_000);

  it('says in plain words that a wrong key was refused; Cancel removes the connection the test made, Save anyway keeps it with its error', async () => {
    const { page, context } = await t.newPage();
    await signUp(page);
    const dialog = await openWizard(page, 'hubspot', 'HubSpot');
    await dialog.getByRole('textbox', { name: /^Private app access token/ }).fill('pat-not-the-sandbox-token');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await dialog.getByText('The vendor refused the credentials.').waitFor();
    expect(await dialog.getByRole('status').textContent()).toContain('auth_failed');
    expect(await dialog.getByRole('button', { name: 'Save anyway' }).count()).toBe(1);
    await screenshot(page, 'connect-wizard-auth-failed');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.reload();
    await page.getByText('Nothing is connected yet.').waitFor();

    // Saved anyway, it shows under Connected with its error.
    const again = await openWizard(page, 'hubspot', 'HubSpot');
    await again.getByRole('textbox', { name: /^Private app access token/ }).fill('pat-not-the-sandbox-token');
    await again.getByRole('button', { name: 'Save', exact: true }).click();
    await again.getByText('The vendor refused the credentials.').waitFor();
    await again.getByRole('button', { name: 'Save anyway' }).click();
    await again.waitFor({ state: 'hidden' });
    const card = connectedCard(page, 'HubSpot (sandbox)');
    await card.getByText('error', { exact: true }).waitFor();
    await card.getByText(/answered HTTP 401/).waitFor();
    await screenshot(page, 'integrations-error-card');
    await context.close();
  }, 120_000);

  it('connects an integration with the keyboard alone', async () => {
    const { page, context } = await t.newPage();
    await signUp(page);
    await tabTo(page, page.getByLabel('Search integrations'));
    await page.keyboard.type('hubspot');
    const connect = page.getByRole('button', { name: 'Connect HubSpot' });
    await tabTo(page, connect);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Connect HubSpot' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await connect.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await tabTo(page, dialog.getByRole('button', { name: 'Test connection' }));
    await page.keyboard.press('Space');
    await dialog.getByText('HubSpot answered: the connection works.').waitFor();
    await tabTo(page, dialog.getByRole('button', { name: 'Save', exact: true }));
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await connectedCard(page, 'HubSpot (sandbox)').getByText('connected', { exact: true }).waitFor();
    await tabTo(page, page.getByRole('link', { name: 'HubSpot (sandbox)' }));
    await context.close();
  }, 120_000);

  it('signs GA4 in through the sandbox’s consent page, then saves the property chosen', async () => {
    const { page, context } = await t.newPage();
    await signUp(page);
    const dialog = await openWizard(page, 'analytics', 'Google Analytics 4');
    expect(await dialog.getByLabel(/^GA4 properties/).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Sign in with Google' }).click();
    await page.getByRole('heading', { name: 'Google Analytics 4 sandbox' }).waitFor();
    await page.getByRole('button', { name: 'Allow' }).click();

    const step = page.getByRole('dialog', { name: 'Connect Google Analytics 4' });
    await step.getByRole('heading', { name: 'Choose the GA4 properties to sync' }).waitFor();
    expect(page.url()).toContain('oauth=connected');
    const boxes = step.getByRole('checkbox');
    expect(await boxes.count()).toBeGreaterThan(0);
    for (const box of await boxes.all()) await box.setChecked(false);
    await boxes.first().check();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'connect-account-step');
    await step.getByRole('button', { name: 'Save choice' }).click();
    await step.waitFor({ state: 'hidden' });
    await page.getByText(/syncing 1 of its GA4 properties/).waitFor();
    expect(page.url()).not.toContain('oauth=');
    await connectedCard(page, 'Google Analytics 4 (sandbox)').getByText('connected', { exact: true }).waitFor();
    await context.close();
  }, 120_000);

  it('checks a custom connector as its definition is typed, and saves a valid one into the catalog', async () => {
    const { page, context } = await t.newPage();
    await signUp(page);
    await page.getByRole('button', { name: 'New custom connector' }).click();
    const dialog = page.getByRole('dialog', { name: 'New custom connector' });
    const editor = dialog.getByLabel('Definition (JSON)');
    await dialog.getByText('The definition is valid.').waitFor();

    await editor.fill(JSON.stringify({ ...acmeDefinition, baseUrl: 'not a url' }, null, 2));
    await dialog.getByText('must be an http(s) URL').waitFor();
    expect(await dialog.getByRole('code').filter({ hasText: 'baseUrl' }).count()).toBe(1);
    await editor.fill('{ "id": "acme_crm", ');
    await dialog.getByText('JSON', { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'custom-connector-error');

    await editor.fill(JSON.stringify({ ...acmeDefinition, baseUrl: `${t.url}/acme` }, null, 2));
    await dialog.getByText('The definition is valid.').waitFor();
    await dialog.getByRole('button', { name: 'Save connector' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Acme CRM is in the catalog').waitFor();
    await page.getByRole('button', { name: 'Custom', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: /^Connect / }).count()).toBe(1);
    await page.getByRole('button', { name: 'Connect Acme CRM' }).waitFor();
    await screenshot(page, 'custom-connector-saved');
    await context.close();
  }, 120_000);
});
