/** How numbers, money, rates and times read in the app (en-US, the hub's language). */
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

export type Unit = 'count' | 'currency' | 'seconds' | 'ratio';

export function formatNumber(value: number, unit: Unit = 'count'): string {
  if (unit === 'ratio') return percent.format(value);
  if (unit === 'seconds') return `${decimal.format(value)} s`;
  if (unit === 'currency') return decimal.format(value);
  return Math.abs(value) >= 100 ? integer.format(value) : decimal.format(value);
}

/** A change against a previous period: "+12.5%", "−3%", or "—" when there is nothing to compare with. */
export function formatChange(change: number | null | undefined): string {
  if (change === null || change === undefined) return '—';
  const text = percent.format(Math.abs(change));
  return change > 0 ? `+${text}` : change < 0 ? `−${text}` : text;
}

const relative = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });
const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

/** "3 minutes ago", "in 2 hours"; the exact time belongs in a title or a `<time>` beside it. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  let amount = (Date.parse(iso) - now) / 1000;
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return iso;
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}

/** A run's length: "850 ms", "12.4 s", "3 min 5 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${integer.format(ms)} ms`;
  if (ms < 60_000) return `${decimal.format(Math.round(ms / 100) / 10)} s`;
  const seconds = Math.round(ms / 1000);
  return `${integer.format(Math.floor(seconds / 60))} min ${seconds % 60} s`;
}
