import { GraphError, invalidParameter } from './graph-error.js';

/**
 * The days an insights request covers and how it cuts them into rows, from `time_range`,
 * `date_preset` and `time_increment` (https://developers.facebook.com/docs/marketing-api/reference/ad-account/insights/).
 * Days are counted since 1970-01-01, so that date arithmetic is integer arithmetic.
 */
export interface Calendar {
  /** The sandbox's today: the day after the last day with data, so `last_30d` ends on it. */
  today: number;
  lastDataDay: number;
}

/** One row's days, both included: `date_start` and `date_stop`. */
export interface Bucket {
  start: number;
  stop: number;
}

const dayMs = 86_400_000;

export const isoDate = (day: number): string => new Date(day * dayMs).toISOString().slice(0, 10);

/** The day of a `YYYY-MM-DD` date, or undefined for anything else (2025-02-30 included). */
export function dayOf(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const day = Date.parse(`${text}T00:00:00Z`) / dayMs;
  // Date.parse rolls a day past the month's end over into the next month.
  return Number.isInteger(day) && isoDate(day) === text ? day : undefined;
}

/** 0 for Sunday, as `Date.getUTCDay`; 1970-01-01 was a Thursday. */
export const weekdayOf = (day: number): number => (((day + 4) % 7) + 7) % 7;

export function reportBuckets(query: Record<string, string>, calendar: Calendar): Bucket[] {
  const [since, until] = query.time_range !== undefined ? timeRangeOf(query.time_range) : presetRange(query.date_preset ?? 'last_30d', calendar.today);
  if (since < oldestStart(calendar.today)) {
    throw new GraphError(3018, '(#3018) The start date of the time range cannot be beyond 37 months from the current date');
  }
  return bucketsOf(query.time_increment ?? 'all_days', since, until, calendar.lastDataDay);
}

function timeRangeOf(text: string): [number, number] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const range = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { since?: unknown; until?: unknown };
  const since = dayOf(range.since);
  const until = dayOf(range.until);
  if (since === undefined || until === undefined) throw invalidParameter('param time_range must be a JSON object {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"} of two real dates');
  if (since > until) throw invalidParameter('param time_range must have "since" on or before "until"');
  return [since, until];
}

const calendarDay = (day: number) => {
  const date = new Date(day * dayMs);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth(), date: date.getUTCDate() };
};
/** Month arithmetic with Date.UTC's overflow: month -1 is last December. */
const dayFrom = (year: number, month: number, date: number) => Date.UTC(year, month, date) / dayMs;
const monthStart = (day: number, monthsLater: number) => {
  const { year, month } = calendarDay(day);
  return dayFrom(year, month + monthsLater, 1);
};
const quarterStart = (day: number, quartersLater: number) => {
  const { year, month } = calendarDay(day);
  return dayFrom(year, month - (month % 3) + 3 * quartersLater, 1);
};
const yearStart = (day: number, yearsLater: number) => dayFrom(calendarDay(day).year + yearsLater, 0, 1);
const weekStart = (day: number, firstWeekday: 0 | 1) => day - ((weekdayOf(day) - firstWeekday + 7) % 7);
/** Graph keeps 37 months of insights. */
const oldestStart = (today: number) => {
  const { year, month, date } = calendarDay(today);
  return dayFrom(year, month - 37, date);
};
const lastDays = (n: number) => (today: number): [number, number] => [today - n, today - 1];

const presets: Record<string, (today: number) => [number, number]> = {
  today: (t) => [t, t],
  yesterday: (t) => [t - 1, t - 1],
  this_month: (t) => [monthStart(t, 0), t],
  last_month: (t) => [monthStart(t, -1), monthStart(t, 0) - 1],
  this_quarter: (t) => [quarterStart(t, 0), t],
  maximum: (t) => [oldestStart(t), t],
  last_3d: lastDays(3),
  last_7d: lastDays(7),
  last_14d: lastDays(14),
  last_28d: lastDays(28),
  last_30d: lastDays(30),
  last_90d: lastDays(90),
  last_week_mon_sun: (t) => [weekStart(t, 1) - 7, weekStart(t, 1) - 1],
  last_week_sun_sat: (t) => [weekStart(t, 0) - 7, weekStart(t, 0) - 1],
  last_quarter: (t) => [quarterStart(t, -1), quarterStart(t, 0) - 1],
  last_year: (t) => [yearStart(t, -1), yearStart(t, 0) - 1],
  this_week_mon_today: (t) => [weekStart(t, 1), t],
  this_week_sun_today: (t) => [weekStart(t, 0), t],
  this_year: (t) => [yearStart(t, 0), t],
};

function presetRange(preset: string, today: number): [number, number] {
  const range = presets[preset];
  if (!range) throw invalidParameter(`date_preset must be one of the following values: ${Object.keys(presets).join(', ')}`);
  return range(today);
}

/**
 * `all_days` is one row for the whole range; `monthly` one per calendar month; a number of days
 * (1 to 90) one per that many days from `since`. Buckets starting after the last day with data
 * are left out: they could hold no row, and a far-off `until` would otherwise cost millions.
 */
function bucketsOf(increment: string, since: number, until: number, lastDataDay: number): Bucket[] {
  if (increment === 'all_days') return [{ start: since, stop: until }];
  const days = /^\d+$/.test(increment) ? Number(increment) : undefined;
  if (increment !== 'monthly' && (days === undefined || days < 1 || days > 90)) {
    throw invalidParameter('param time_increment must be "monthly", "all_days" or a whole number of days from 1 to 90');
  }
  const nextStart = (day: number) => (days === undefined ? monthStart(day, 1) : day + days);
  const buckets: Bucket[] = [];
  for (let start = since; start <= until && start <= lastDataDay; start = nextStart(start)) {
    buckets.push({ start, stop: Math.min(until, nextStart(start) - 1) });
  }
  return buckets;
}
