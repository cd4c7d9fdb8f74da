import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUpTenant, startTestApi, type Tenant, type TestApi } from '../../../test/support/api.js';

/** Schedules through the API, and the internal cron endpoint an external scheduler calls. */
const secret = 'cron-secret-0123456789';
let t: TestApi;
let off: TestApi;
let a: Tenant;

beforeAll(async () => {
  [t, off] = await Promise.all([startTestApi({ cronSecret: secret }), startTestApi()]);
  a = await signUpTenant(t.api, 'scheduled');
});
afterAll(async () => {
  await Promise.all([t.close(), off.close()]);
});

async function connection(body: Record<string, unknown> = {}) {
  const res = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'hubspot', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('connection schedules', () => {
  it('are daily at 03:00 UTC by default and show the next three runs', async () => {
    const created = await connection();
    expect(created.schedule).toMatchObject({ cron: '0 3 * * *', timezone: 'UTC' });
    expect(created.schedule.nextRuns).toHaveLength(3);
    const [first, second] = created.schedule.nextRuns.map((d: string) => Date.parse(d));
    expect(second - first).toBe(24 * 3600 * 1000);
    expect(new Date(first).getUTCHours()).toBe(3);
  });

  it('change with PATCH, in a time zone, or turn off', async () => {
    const created = await connection();
    const hourly = await call(t.api, { method: 'PATCH', url: `/api/v1/connections/${created.id}`, auth: a.session, body: { schedule: { cron: '15 * * * *', timezone: 'Asia/Kolkata' } } });
    expect(hourly.statusCode).toBe(200);
    expect(hourly.json().schedule.nextRuns.every((d: string) => new Date(d).getUTCMinutes() === 45)).toBe(true);
    const turnedOff = await call(t.api, { method: 'PATCH', url: `/api/v1/connections/${created.id}`, auth: a.session, body: { schedule: { cron: null } } });
    expect(turnedOff.json().schedule).toEqual({ cron: null, timezone: 'Asia/Kolkata', nextRuns: [] });
  });

  it('reject a bad cron expression or time zone with 400 naming the field', async () => {
    const created = await connection();
    for (const [schedule, field] of [
      [{ cron: '0 25 * * *' }, 'schedule.cron'],
      [{ cron: '0 3 * * *', timezone: 'Nowhere/Special' }, 'schedule.timezone'],
    ] as const) {
      const res = await call(t.api, { method: 'PATCH', url: `/api/v1/connections/${created.id}`, auth: a.session, body: { schedule } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_failed', details: { fields: [{ field }] } });
    }
    const bad = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'hubspot', schedule: { cron: 'daily' } } });
    expect(bad.statusCode).toBe(400);
  });
});

describe('POST /internal/cron/sync-due', () => {
  const cron = (api: TestApi['api'], headers: Record<string, string> = {}) => call(api, { method: 'POST', url: '/internal/cron/sync-due', headers });

  it('is off (404) when TRIBUTARY_CRON_SECRET is unset', async () => {
    const res = await cron(off.api, { 'x-cron-secret': secret });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toContain('TRIBUTARY_CRON_SECRET');
  });

  it('answers 401 without the secret or with a wrong one', async () => {
    for (const headers of [{}, { 'x-cron-secret': 'wrong' }, { 'x-cron-secret': `${secret}x` }] as Array<Record<string, string>>) {
      const res = await cron(t.api, headers);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthenticated');
    }
  });

  it('queues every due connection once', async () => {
    const due = await connection();
    await t.store.db.asSystem((tx) => tx.query(`UPDATE connections SET status = 'connected'`));
    await t.store.db.asSystem((tx) => tx.query(`UPDATE connections SET next_run_at = now() - interval '1 second' WHERE id = $1`, [due.id]));
    const first = await cron(t.api, { 'x-cron-secret': secret });
    expect(first.statusCode).toBe(200);
    expect(first.json().queued).toBe(1);
    expect((await cron(t.api, { 'x-cron-secret': secret })).json().queued).toBe(0);
    const runs = await call(t.api, { method: 'GET', url: `/api/v1/connections/${due.id}/runs`, auth: a.session });
    expect(runs.json().runs).toMatchObject([{ trigger: 'schedule', status: 'queued' }]);
  });
});
