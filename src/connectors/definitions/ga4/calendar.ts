/**
 * Calendar days as whole numbers counted from 1970-01-01: the sandbox keys its data by day, and
 * date arithmetic (`30daysAgo`, a two-year window) stays exact integer arithmetic.
 */
const msPerDay = 86_400_000;

/** The day of a `YYYY-MM-DD` date, or undefined when the text is not a real date. */
export function dayOf(isoDate: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return undefined;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, date);
  // Date.UTC rolls 2026-02-30 over into March: only a real date reads back as it was written.
  return isoDateOf(ms / msPerDay) === isoDate ? ms / msPerDay : undefined;
}

export function isoDateOf(day: number): string {
  return new Date(day * msPerDay).toISOString().slice(0, 10);
}

/** `20261124`: how GA4 writes the `date` dimension. */
export function compactDateOf(day: number): string {
  const iso = isoDateOf(day);
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

/** 0 for Sunday to 6 for Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** 0 for 1 January. */
export function dayOfYear(day: number): number {
  const date = new Date(day * msPerDay);
  return day - Date.UTC(date.getUTCFullYear(), 0, 1) / msPerDay;
}
