import { describe, expect, it } from 'vitest';
import { TributaryError } from '../../domain/errors.js';
import { checkSchedule, nextRuns } from './schedule.js';

describe('connection schedules', () => {
  it('gives the next three runs of a daily schedule in its own time zone, across daylight saving', () => {
    const runs = nextRuns({ cron: '0 3 * * *', timezone: 'Europe/Paris' }, new Date('2026-03-28T00:00:00Z'), 3);
    // 03:00 in Paris is 02:00 UTC before the change on 29 March and 01:00 UTC after it.
    expect(runs.map((d) => d.toISOString())).toEqual(['2026-03-28T02:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T01:00:00.000Z']);
  });

  it('has no next run when the schedule is off', () => {
    expect(nextRuns({ cron: null, timezone: 'UTC' }, new Date(), 3)).toEqual([]);
  });

  it.each([
    ['61 * * * *', 'UTC', 'schedule.cron'],
    ['every day', 'UTC', 'schedule.cron'],
    ['0 0 3 * * *', 'UTC', 'schedule.cron'],
    ['0 3 * * *', 'Mars/Olympus_Mons', 'schedule.timezone'],
  ])('rejects %j in %s naming %s', (cron, timezone, field) => {
    let thrown: unknown;
    try {
      checkSchedule({ cron, timezone });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TributaryError);
    expect((thrown as TributaryError).code).toBe('validation_failed');
    expect((thrown as TributaryError).message.startsWith(`${field}: `)).toBe(true);
  });
});
