import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { screenshot, seriousViolations, signUp, startBrowserHub, type BrowserHub } from './support/browser.js';

/** An owner manages their workspace: an API key seen once and proven, members and roles, the key status. */
let t: BrowserHub;
beforeAll(async () => {
  t = await startBrowserHub('settings');
}, 60_000);
afterAll(() => t?.close());

const hasFocus = (target: Locator) => target.evaluate((el) => el === el.ownerDocument.activeElement);

/** Presses Tab until `target` has focus, as a keyboard user would; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    if (await hasFocus(target)) return;
  }
  throw new Error(`Tab did not reach ${target} in ${max} presses`);
}

async function apiStatus(path: string, key: string): Promise<number> {
  return (await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${key}` } })).status;
}

describe('settings', () => {
  it('creates an API key by keyboard alone, shows it once, copies it, and revokes it so the API refuses it', async () => {
    const { page, context } = await t.newPage();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
    await signUp(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();

    const form = page.getByRole('form', { name: 'Create an API key' });
    await tabTo(page, form.getByLabel('Key name'));
    await page.keyboard.type('CI pipeline');
    await page.keyboard.press('Tab');
    expect(await hasFocus(form.getByLabel('Role'))).toBe(true);
    await page.keyboard.press('ArrowUp'); // member → viewer
    expect(await form.getByLabel('Role').inputValue()).toBe('viewer');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    const dialog = page.getByRole('dialog', { name: 'Your new API key' });
    await dialog.waitFor();
    await expect.poll(() => dialog.getByText('it will not be shown again').count()).toBe(1);
    const key = await dialog.getByRole('textbox', { name: /API key/ }).inputValue();
    expect(key).toMatch(/^trb_[\w-]{43}$/);
    expect(await hasFocus(dialog.getByRole('button', { name: 'Copy key' }))).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe('Copied');
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(key);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'settings-new-api-key');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await hasFocus(form.getByRole('button', { name: 'Create key' }))).toBe(true);
    expect(await page.content()).not.toContain(key);

    // The key works, as a viewer of this workspace.
    expect(await apiStatus('/api/v1/workspaces/current', key)).toBe(200);
    expect(await apiStatus('/api/v1/api-keys', key)).toBe(403);

    await page.reload();
    const keys = page.getByRole('region', { name: 'API keys' });
    const row = keys.getByRole('row', { name: /CI pipeline/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(`trb_…${key.slice(-4)}`);
    expect(await row.getByRole('cell').nth(4).textContent(), 'last used').not.toBe('never');
    expect(await page.content()).not.toContain(key);
    expect(await keys.getByRole('button', { name: /show|reveal|copy/i }).count()).toBe(0);
    await screenshot(page, 'settings');

    await row.getByRole('button', { name: 'Revoke CI pipeline' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke “CI pipeline”?' });
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => row.textContent()).toContain('Revoked');
    expect(await hasFocus(keys.getByRole('heading', { name: 'API keys' }))).toBe(true);
    expect(await apiStatus('/api/v1/workspaces/current', key)).toBe(401);
    await context.close();
  }, 120_000);

  it('invites a member, changes their role, shows the API’s refusal for the last owner, and removes them', async () => {
    const { page, context } = await t.newPage();
    const owner = await signUp(page);
    await page.goto('/settings');
    const members = page.getByRole('region', { name: 'Members' });
    const invite = members.getByRole('form', { name: 'Add a member' });
    const grace = `grace-${Date.now()}@example.test`;
    await invite.getByLabel('Email').fill(grace);
    await invite.getByLabel('Role').selectOption('viewer');
    await invite.getByRole('button', { name: 'Add member' }).click();
    const row = members.getByRole('row', { name: new RegExp(grace) });
    await row.waitFor();
    expect(await row.textContent()).toContain('Invited');
    expect(await row.getByLabel(`Role of ${grace}`, { exact: true }).inputValue()).toBe('viewer');

    await row.getByLabel(`Role of ${grace}`, { exact: true }).selectOption('member');
    await row.getByRole('button', { name: `Save the role of ${grace}` }).click();
    await row.getByRole('button', { name: `Save the role of ${grace}` }).waitFor({ state: 'detached' });
    const listed = (await (await context.request.get('/api/v1/members')).json()) as { members: Array<{ email: string; role: string }> };
    expect(listed.members.find((m) => m.email === grace)?.role).toBe('member');

    // The only owner cannot step down: the refusal reads as the API wrote it.
    const me = members.getByRole('row', { name: new RegExp(owner.email) });
    await me.getByLabel(`Role of ${owner.email}`, { exact: true }).selectOption('admin');
    await me.getByRole('button', { name: `Save the role of ${owner.email}` }).click();
    const refusal = members.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('A workspace needs at least one owner; make someone else owner first.');
    await screenshot(page, 'settings-last-owner-refused');
    await me.getByLabel(`Role of ${owner.email}`, { exact: true }).selectOption('owner');

    await row.getByRole('button', { name: `Remove ${grace}` }).click();
    await page.getByRole('dialog', { name: `Remove ${grace}?` }).getByRole('button', { name: 'Remove member' }).click();
    await row.waitFor({ state: 'detached' });
    await context.close();
  }, 120_000);

  it('shows the encryption key status: the primary key, where it comes from, and the workspace’s secrets by key', async () => {
    const { page, context } = await t.newPage();
    await signUp(page);
    const created = await context.request.post('/api/v1/connections', { data: { connectorId: 'hubspot', name: 'CRM', secrets: { token: 'pat-na1-00000000-1111-2222-3333-444455556666' } } });
    expect(created.status()).toBe(201);
    const status = (await (await context.request.get('/api/v1/encryption-keys')).json()) as { primaryKeyId: string; source: string };
    expect(status.source).toBe('file');

    await page.goto('/settings');
    const section = page.getByRole('region', { name: 'Encryption keys' });
    await section.getByText('Primary key', { exact: true }).waitFor();
    const text = await section.textContent();
    expect(text).toContain(status.primaryKeyId);
    expect(text).toContain('the key file in the hub’s data folder');
    expect(text).toContain('The hub holds the key of all 1 stored secret of this workspace.');
    expect(await section.getByRole('row', { name: new RegExp(status.primaryKeyId) }).textContent()).toContain('Readable (primary)');
    expect(text).toContain('tributary keys rotate');

    // A secret under a key the hub lacks: the answer src/api/routes/encryption-keys.test.ts produces for real, played to the page.
    await page.route('**/api/v1/encryption-keys', (route) =>
      route.fulfill({
        json: { ...status, secrets: [{ keyId: 'k_lost0001', secrets: 2, inKeyring: false, primary: false }, { keyId: status.primaryKeyId, secrets: 1, inKeyring: true, primary: true }], allReadable: false },
      }),
    );
    await page.reload();
    const alert = section.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('2 secrets are encrypted with key k_lost0001, which this hub does not hold.');
    expect(await section.getByRole('row', { name: /k_lost0001/ }).textContent()).toContain('Missing: cannot be read');
    expect(await section.textContent()).toContain('set TRIBUTARY_ENCRYPTION_KEY to a keyring that lists it');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'settings-key-missing');
    await context.close();

    const phone = await t.newPage({ width: 390, height: 844 });
    await signUp(phone.page);
    await phone.page.goto('/settings');
    await phone.page.getByRole('region', { name: 'Encryption keys' }).getByText('Primary key', { exact: true }).waitFor();
    await screenshot(phone.page, 'settings-phone');
    expect(await phone.page.evaluate<number>('document.documentElement.scrollWidth - innerWidth'), 'sideways scroll').toBeLessThanOrEqual(0);
    await phone.context.close();
  }, 120_000);
});
