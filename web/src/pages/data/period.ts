import { useSearchParams } from 'wouter';

/**
 * The data hub's period, kept in the address (`?range=90&granularity=week`, or
 * `?range=custom&from=…&to=…`) so a view can be shared and survives reloads. Presets count back
 * from the last day with data, as the API's own default does: a sandbox's fixed calendar, or a
 * source that reports a day late, still reads whole.
 */
export const presets = [7, 30, 90] as const;
export const granularities = ['day', 'week', 'month'] as const;
export type Granularity = (typeof granularities)[number];
export type Range = { kind: 'preset'; days: (typeof presets)[number] } | { kind: 'custom'; from: string; to: string };
export interface Period {
  from: string;
  to: string;
}

/** A UTC day as the API writes it: `YYYY-MM-DD`. */
export const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function periodOf(range: Range, lastDay: string): Period {
  return range.kind === 'custom' ? { from: range.from, to: range.to } : { from: addDays(lastDay, -(range.days - 1)), to: lastDay };
}

export function useDataPeriod() {
  const [params, setParams] = useSearchParams();
  const days = Number(params.get('range'));
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const range: Range =
    params.get('range') === 'custom' && dayPattern.test(from) && dayPattern.test(to)
      ? { kind: 'custom', from, to }
      : { kind: 'preset', days: presets.find((p) => p === days) ?? 30 };
  const asked = params.get('granularity');
  const granularity: Granularity = granularities.find((g) => g === asked) ?? 'day';
  const update = (changes: Record<string, string | null>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null) next.delete(key);
          else next.set(key, value);
        }
        return next;
      },
      { replace: true },
    );
  return {
    range,
    granularity,
    setPreset: (preset: number) => update({ range: String(preset), from: null, to: null }),
    setCustom: (period: Period) => update({ range: 'custom', from: period.from, to: period.to }),
    setGranularity: (next: Granularity) => update({ granularity: next }),
  };
}
