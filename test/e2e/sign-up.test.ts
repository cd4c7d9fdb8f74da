import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousViolations, signUp, startBrowserHub, type BrowserHub } from './support/browser.js';

/** A new person arrives at the hub, signs up, signs out and signs in again. */
let t: BrowserHub;
beforeAll(async () => {
  t = await startBrowserHub('signup');
}, 60_000);
afterAll(() => t?.close());

describe('signing up and in', () => {
  it('sends a visitor to sign in, signs a new person up into their workspace, and back in after signing out', async () => {
    const { page, context } = await t.newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'signin');

    const person = await signUp(page);
    expect(page.url()).toContain('/integrations');
    await expect.poll(() => page.getByLabel('Workspace').inputValue()).not.toBe('');
    await screenshot(page, 'first-page-after-signup');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBeTruthy();
    await screenshot(page, 'signin-refused');

    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
    await context.close();
  });
});
