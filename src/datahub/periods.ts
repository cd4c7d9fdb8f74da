/**
 * Days as the data hub counts them: `YYYY-MM-DD` in UTC, ranges with both ends included, and the
 * buckets a series is cut into (ISO weeks start on Monday; a bucket is named by its first day).
 */
export const granularities = ['day', 'week', 'month'] as const;
export type Granularity = (typeof granularities)[number];

export interface DayRange {
  from: string;
  to: string;
}

const msPerDay = 86_400_000;

export function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / msPerDay;
}

export function dayOf(number: number): string {
  return new Date(number * msPerDay).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return dayOf(dayNumber(day) + days);
}

/** How many days a range holds. */
export function lengthOf(range: DayRange): number {
  return dayNumber(range.to) - dayNumber(range.from) + 1;
}

/** The range of the same length just before it: what a period is compared with. */
export function previousRange(range: DayRange): DayRange {
  const days = lengthOf(range);
  return { from: addDays(range.from, -days), to: addDays(range.from, -1) };
}

/** The first day of the bucket a day falls in. */
export function bucketOf(day: string, granularity: Granularity): string {
  if (granularity === 'day') return day;
  if (granularity === 'month') return `${day.slice(0, 8)}01`;
  const number = dayNumber(day);
  // 1970-01-01 was a Thursday: Monday-based weekday is (n + 3) mod 7.
  return dayOf(number - ((((number + 3) % 7) + 7) % 7));
}

/** Every bucket a range touches, in order. */
export function bucketsOf(range: DayRange, granularity: Granularity): string[] {
  const buckets: string[] = [];
  for (let day = dayNumber(range.from), last = dayNumber(range.to); day <= last; day++) {
    const bucket = bucketOf(dayOf(day), granularity);
    if (buckets[buckets.length - 1] !== bucket) buckets.push(bucket);
  }
  return buckets;
}
