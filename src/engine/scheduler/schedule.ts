import { Cron } from 'croner';
import type { ConnectionSchedule } from '../../domain/connections.js';
import type { TributaryError } from '../../domain/errors.js';
import { invalidField } from '../../domain/errors.js';

/**
 * A connection's schedule: a five-field cron expression (minute hour day month weekday) read in
 * an IANA time zone, so "0 3 * * *" in Europe/Paris stays at 03:00 there across daylight saving.
 */
function invalid(field: 'cron' | 'timezone', message: string): TributaryError {
  return invalidField(`schedule.${field}`, message);
}

function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

function cronOf(schedule: ConnectionSchedule & { cron: string }): Cron {
  if (!isTimeZone(schedule.timezone)) throw invalid('timezone', `"${schedule.timezone}" is not an IANA time zone (like UTC or Europe/Paris)`);
  const fields = schedule.cron.trim().split(/\s+/);
  if (fields.length !== 5) throw invalid('cron', 'must have five fields: minute hour day-of-month month day-of-week (like "0 3 * * *")');
  try {
    return new Cron(schedule.cron, { timezone: schedule.timezone, paused: true });
  } catch (error) {
    throw invalid('cron', `is not a cron expression (${(error as Error).message.replace(/^CronPattern: /, '')})`);
  }
}

/** Throws `validation_failed` naming the field when the expression or the time zone is wrong. */
export function checkSchedule(schedule: ConnectionSchedule): void {
  if (schedule.cron !== null) cronOf({ ...schedule, cron: schedule.cron });
}

/** The next `count` times after `from`; none when the schedule is off. */
export function nextRuns(schedule: ConnectionSchedule, from: Date, count: number): Date[] {
  if (schedule.cron === null) return [];
  return cronOf({ ...schedule, cron: schedule.cron }).nextRuns(count, from);
}

export function nextRun(schedule: ConnectionSchedule, from: Date): Date | null {
  return nextRuns(schedule, from, 1)[0] ?? null;
}
