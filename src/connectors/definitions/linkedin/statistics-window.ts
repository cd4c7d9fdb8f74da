/**
 * LinkedIn keeps an organization's daily share statistics for a rolling 12 months and refuses a
 * time range that starts earlier (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics).
 * Its days are UTC days, and a time range is given in epoch milliseconds.
 */
export const dayMs = 86_400_000;

/** Midnight UTC of the day `ms` falls on. */
export function dayStart(ms: number): number {
  return Math.floor(ms / dayMs) * dayMs;
}

/** `YYYY-MM-DD` of the UTC day `ms` falls on. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Midnight UTC of today's date 12 months ago: the earliest start LinkedIn takes today. */
export function retentionStart(now: number): number {
  const today = new Date(dayStart(now));
  return Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), today.getUTCDate());
}
