import { dayPattern, type Granularity, type Period } from './period';

/** How the data hub's ids and days read to people. */

/** A metric's id as words: `avgSessionDuration` → "Avg session duration", `ctr` → "CTR". */
const acronyms: Record<string, string> = { ctr: 'CTR', cpc: 'CPC' };

export function metricLabel(metric: string): string {
  const known = acronyms[metric];
  if (known) return known;
  const words = metric.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const dayFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

/** "Oct 26, 2026": days are UTC in the API, so they are shown in UTC too. */
export function formatDay(day: string): string {
  return dayPattern.test(day) ? dayFormat.format(new Date(`${day}T00:00:00Z`)) : day;
}

export function formatPeriod(period: Period): string {
  return `${formatDay(period.from)} – ${formatDay(period.to)}`;
}

const monthFormat = new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const shortDay = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** A bucket's name as people read it: a day, the week starting on a Monday, or a month. */
export function bucketLabel(period: string, granularity: Granularity, short = false): string {
  const date = new Date(`${period}T00:00:00Z`);
  if (granularity === 'month') return monthFormat.format(date);
  const day = short ? shortDay.format(date) : formatDay(period);
  return granularity === 'week' ? `Week of ${day}` : day;
}
