import type { TrafficCounts } from './traffic-model.js';

/**
 * The part of GA4's API schema the sandbox serves
 * (https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema): each metric
 * with the type its `MetricHeader` names and how it is computed from summed traffic counts, each
 * dimension with how its value is written. Rates are ratios, as GA4 reports them (0.42 is 42%).
 * One simplification: users add up across days and channels, where GA4 counts a user once per
 * range, so that a report's totals always equal the sum of its finer rows.
 */
export type MetricType = 'TYPE_INTEGER' | 'TYPE_FLOAT' | 'TYPE_SECONDS' | 'TYPE_CURRENCY';

interface MetricDefinition {
  type: MetricType;
  value(counts: TrafficCounts): number;
}

const integer = (value: (counts: TrafficCounts) => number): MetricDefinition => ({ type: 'TYPE_INTEGER', value });
const rate = (part: (counts: TrafficCounts) => number): MetricDefinition => ({ type: 'TYPE_FLOAT', value: (counts) => ratio(part(counts), counts.sessions) });

const metrics: Readonly<Record<string, MetricDefinition>> = {
  sessions: integer((counts) => counts.sessions),
  totalUsers: integer((counts) => counts.totalUsers),
  activeUsers: integer((counts) => counts.activeUsers),
  newUsers: integer((counts) => counts.newUsers),
  screenPageViews: integer((counts) => counts.screenPageViews),
  keyEvents: integer((counts) => counts.keyEvents),
  // The name GA4 used for key events until 2024; it still answers with the same count.
  conversions: integer((counts) => counts.keyEvents),
  // GA4 defines a bounce as a session that was not engaged, so the two rates always add up to 1.
  bounceRate: rate((counts) => counts.sessions - counts.engagedSessions),
  engagementRate: rate((counts) => counts.engagedSessions),
  sessionConversionRate: rate((counts) => counts.convertingSessions),
  averageSessionDuration: { type: 'TYPE_SECONDS', value: (counts) => ratio(counts.sessionDurationMs / 1_000, counts.sessions) },
  totalRevenue: { type: 'TYPE_CURRENCY', value: (counts) => counts.revenueCents / 100 },
};

/** Where a row's counts come from: the value of each dimension is read off it. */
export interface TrafficCell {
  /** `YYYYMMDD`, as GA4 writes the `date` dimension. */
  date: string;
  channelGroup: string;
}

const dimensions: Readonly<Record<string, (cell: TrafficCell) => string>> = {
  date: (cell) => cell.date,
  sessionDefaultChannelGroup: (cell) => cell.channelGroup,
};

export function metricDefinition(name: string): MetricDefinition | undefined {
  return Object.hasOwn(metrics, name) ? metrics[name] : undefined;
}

export function dimensionValue(name: string): ((cell: TrafficCell) => string) | undefined {
  return Object.hasOwn(dimensions, name) ? dimensions[name] : undefined;
}

/** GA4 answers 0 for a rate over no sessions, never NaN. */
function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}
