import type { APIRequestContext, Page } from 'playwright-core';

/**
 * The pages of the signed-in app, visited in the same way by the accessibility sweep
 * (test/e2e/accessibility.test.ts) and `npm run bench:web`, with a synced HubSpot sandbox
 * connection so that they have something to show.
 */
export interface AppPage {
  name: string;
  path: string;
  /** A link to follow from `path` to reach the page (the table explorer sits inside the data hub). */
  follow?: RegExp;
}

export function appPages(connectionId: string): AppPage[] {
  return [
    { name: 'integrations', path: '/integrations' },
    { name: 'connection', path: `/connections/${connectionId}` },
    { name: 'data hub', path: '/data' },
    { name: 'table explorer', path: '/data', follow: /tables|explorer|hubspot_contacts/i },
    { name: 'settings', path: '/settings' },
  ];
}

/** Connects HubSpot in sandbox mode through the API (the caller's session) and syncs it to the end. */
export async function connectAndSyncHubSpot(request: APIRequestContext, name = 'HubSpot (sandbox)'): Promise<string> {
  const created = await request.post('/api/v1/connections', { data: { connectorId: 'hubspot', name } });
  if (created.status() !== 201) throw new Error(`creating the connection answered ${created.status()}: ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const tested = await request.post(`/api/v1/connections/${id}/test`);
  if (tested.status() !== 200) throw new Error(`testing the connection answered ${tested.status()}: ${await tested.text()}`);
  const run = await request.post(`/api/v1/connections/${id}/runs?wait=true&timeoutSeconds=60`);
  const finished = (await run.json()) as { status?: string };
  if (finished.status !== 'succeeded') throw new Error(`the sync did not succeed: ${run.status()} ${JSON.stringify(finished)}`);
  return id;
}

/**
 * Opens a page and waits until it has settled (its heading shown, no request in flight). Answers
 * whether the page was reached: false when its `follow` link is not there (yet).
 */
export async function openAppPage(page: Page, target: AppPage): Promise<boolean> {
  await page.goto(target.path);
  await settle(page);
  if (!target.follow) return true;
  const link = page.getByRole('main').getByRole('link', { name: target.follow }).first();
  if ((await link.count()) === 0) return false;
  await link.click();
  await settle(page);
  return true;
}

async function settle(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.waitForLoadState('networkidle');
}
