import { compactDateOf } from './calendar.js';
import { dimensionValue, metricDefinition, type TrafficCell } from './report-fields.js';
import type { OrderBy, ReportRequest } from './report-request.js';
import { addCounts, channelGroups, emptyCounts, type PropertyTraffic, type TrafficCounts } from './traffic-model.js';

/**
 * Answers a checked report request with a `RunReportResponse`: the held days of the requested
 * range are built one by one, their channel cells summed into one group per combination of
 * dimension values, metrics computed from each group's counts, then rows ordered and cut to
 * `offset` and `limit`; `rowCount` counts them all. Values are strings and dates `YYYYMMDD`, as
 * GA4 sends them. Empty lists and a zero `rowCount` are left out, as proto3 JSON leaves out
 * defaults, so a report with no data has no `rows` at all. When the request names no order, rows
 * come in ascending order of their dimension values (GA4 documents no default).
 */
// The property's settings GA4 reports in every answer's metadata.
const currencyCode = 'USD';
const timeZone = 'America/Los_Angeles';

/** The first and last day the sandbox holds data for. */
export interface HeldDays {
  firstDay: number;
  lastDay: number;
}

interface Row {
  dimensionValues: string[];
  metricValues: number[];
}

export function runReport(request: ReportRequest, traffic: PropertyTraffic, held: HeldDays) {
  const definitions = request.metrics.map((name) => metricDefinition(name)!);
  const rows = [...groupCounts(request, traffic, held).values()]
    .map(({ dimensionValues, counts }): Row => ({ dimensionValues, metricValues: definitions.map((metric) => metric.value(counts)) }))
    .filter((row) => request.keepEmptyRows || definitions.length === 0 || row.metricValues.some((value) => value !== 0))
    .sort(rowOrder(request.orderBys));
  const page = rows.slice(request.offset, request.offset + request.limit);
  return {
    ...nonEmpty('dimensionHeaders', request.dimensions.map((name) => ({ name }))),
    ...nonEmpty('metricHeaders', request.metrics.map((name, i) => ({ name, type: definitions[i]!.type }))),
    ...nonEmpty(
      'rows',
      page.map((row) => ({
        ...nonEmpty('dimensionValues', row.dimensionValues.map((value) => ({ value }))),
        ...nonEmpty('metricValues', row.metricValues.map((value) => ({ value: String(value) }))),
      })),
    ),
    ...(rows.length > 0 && { rowCount: rows.length }),
    metadata: { currencyCode, timeZone },
    kind: 'analyticsData#runReport',
  };
}

/** The summed counts of each combination of dimension values seen in the held part of the range. */
function groupCounts(request: ReportRequest, traffic: PropertyTraffic, held: HeldDays) {
  const valuesOf = request.dimensions.map((name) => dimensionValue(name)!);
  // Without a channel dimension, a day's channels fall into one group anyway: add them up once.
  const byChannel = request.dimensions.includes('sessionDefaultChannelGroup');
  const groups = new Map<string, { dimensionValues: string[]; counts: TrafficCounts }>();
  const add = (cell: TrafficCell, counts: TrafficCounts) => {
    const dimensionValues = valuesOf.map((value) => value(cell));
    const key = dimensionValues.join('\u0000');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { dimensionValues, counts: emptyCounts() }));
    addCounts(group.counts, counts);
  };
  const lastDay = Math.min(request.lastDay, held.lastDay);
  for (let day = Math.max(request.firstDay, held.firstDay); day <= lastDay; day++) {
    const channelCounts = traffic(day);
    const date = compactDateOf(day);
    if (byChannel) {
      for (let i = 0; i < channelGroups.length; i++) add({ date, channelGroup: channelGroups[i]! }, channelCounts[i]!);
      continue;
    }
    const dayCounts = emptyCounts();
    for (const counts of channelCounts) addCounts(dayCounts, counts);
    add({ date, channelGroup: '' }, dayCounts);
  }
  return groups;
}

/** The requested order, then ascending dimension values, so that equal rows still come in one fixed order. */
function rowOrder(orderBys: OrderBy[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const orderBy of orderBys) {
      const order = 'metric' in orderBy ? a.metricValues[orderBy.metric]! - b.metricValues[orderBy.metric]! : compareDimension(a, b, orderBy.dimension, orderBy.orderType);
      if (order !== 0) return orderBy.desc ? -order : order;
    }
    for (const i of a.dimensionValues.keys()) {
      const order = compareDimension(a, b, i, 'ALPHANUMERIC');
      if (order !== 0) return order;
    }
    return 0;
  };
}

function compareDimension(a: Row, b: Row, index: number, orderType: string): number {
  let [x, y] = [a.dimensionValues[index]!, b.dimensionValues[index]!];
  if (orderType === 'NUMERIC') return ascending(numericValue(x), numericValue(y));
  if (orderType === 'CASE_INSENSITIVE_ALPHANUMERIC') [x, y] = [x.toLowerCase(), y.toLowerCase()];
  // By code point, as GA4's ALPHANUMERIC documents, not by locale.
  return ascending(x, y);
}

/** GA4's NUMERIC order puts every non-numeric value, as equals, below the numbers. */
function numericValue(text: string): number {
  const value = Number(text);
  return text.trim() === '' || Number.isNaN(value) ? -Infinity : value;
}

function ascending<T extends string | number>(x: T, y: T): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function nonEmpty<K extends string, T>(name: K, list: T[]): { [key in K]?: T[] } {
  return (list.length > 0 ? { [name]: list } : {}) as { [key in K]?: T[] };
}
