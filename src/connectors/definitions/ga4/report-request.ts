import { SandboxError } from '../../sandboxes/index.js';
import { dayOf } from './calendar.js';
import { dimensionValue, metricDefinition } from './report-fields.js';

/**
 * A `RunReportRequest` body, checked as GA4 checks it and read into what the sandbox computes.
 * GA4's rules kept: unknown field names are refused, as Google refuses them; dates are
 * `YYYY-MM-DD`, `NdaysAgo`, `yesterday` or `today`, counted back from the sandbox's today;
 * `limit` and `offset` are int64s, sent as strings or numbers, `limit` 10,000 when left out and
 * cut to 250,000. Documented features the sandbox does not simulate (filters, aggregations,
 * cohorts, comparisons, several date ranges) answer a 400 naming them rather than being ignored,
 * so a connector never takes unfiltered numbers for filtered ones.
 */
export interface ReportRequest {
  firstDay: number;
  lastDay: number;
  dimensions: string[];
  metrics: string[];
  offset: number;
  limit: number;
  keepEmptyRows: boolean;
  orderBys: OrderBy[];
}

/** `dimension` and `metric` are positions in the request's own lists. */
export type OrderBy = { dimension: number; orderType: DimensionOrderType; desc: boolean } | { metric: number; desc: boolean };

type DimensionOrderType = (typeof dimensionOrderTypes)[number];

const dimensionOrderTypes = ['ORDER_TYPE_UNSPECIFIED', 'ALPHANUMERIC', 'CASE_INSENSITIVE_ALPHANUMERIC', 'NUMERIC'] as const;
const defaultLimit = 10_000;
const maxLimit = 250_000;
const schemaLink = 'For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema';

const servedFields = ['property', 'dateRanges', 'dimensions', 'metrics', 'limit', 'offset', 'keepEmptyRows', 'orderBys', 'currencyCode'];
const unservedFields = ['dimensionFilter', 'metricFilter', 'metricAggregations', 'cohortSpec', 'comparisons', 'returnPropertyQuota'];

/** `property` is the path's `properties/<id>`; `today` is the day relative dates count back from. */
export function parseReportRequest(body: unknown, property: string, today: number): ReportRequest {
  const fields = fieldsOf(body ?? {}, 'the request body', [...servedFields, ...unservedFields]);
  for (const name of unservedFields) if (fields[name] !== undefined) throw unserved(name);
  if (fields.property !== undefined && fields.property !== property) throw new SandboxError(400, `The body names ${String(fields.property)}, but the path names ${property}.`);
  if (fields.currencyCode !== undefined && fields.currencyCode !== 'USD') throw new SandboxError(400, 'The sandbox reports in USD only; leave currencyCode out or send "USD".');
  const dimensions = namesOf(fields.dimensions, 'dimensions', ['name', 'dimensionExpression'], (name) => dimensionValue(name) !== undefined);
  const metrics = namesOf(fields.metrics, 'metrics', ['name', 'expression', 'invisible'], (name) => metricDefinition(name) !== undefined);
  if (dimensions.length === 0 && metrics.length === 0) throw new SandboxError(400, 'A report needs at least one dimension or metric.');
  const limit = int64Of(fields.limit, 'limit') ?? 0;
  const offset = int64Of(fields.offset, 'offset') ?? 0;
  if (limit < 0) throw new SandboxError(400, 'limit must be positive.');
  if (offset < 0) throw new SandboxError(400, 'offset must not be negative.');
  return {
    ...dateRangeOf(fields.dateRanges, today),
    dimensions,
    metrics,
    // An int64 left at zero is, in proto3, left out.
    limit: limit === 0 ? defaultLimit : Math.min(limit, maxLimit),
    offset,
    keepEmptyRows: booleanOf(fields.keepEmptyRows, 'keepEmptyRows') ?? false,
    orderBys: listOf(fields.orderBys, 'orderBys').map((orderBy, i) => orderByOf(orderBy, `orderBys[${i}]`, dimensions, metrics)),
  };
}

function dateRangeOf(value: unknown, today: number): { firstDay: number; lastDay: number } {
  const ranges = listOf(value, 'dateRanges');
  if (ranges.length === 0) throw new SandboxError(400, 'A report needs a date range in dateRanges.');
  if (ranges.length > 1) throw unserved('more than one date range');
  const range = fieldsOf(ranges[0], 'dateRanges[0]', ['startDate', 'endDate', 'name']);
  const firstDay = dayFrom(range.startDate, 'startDate', today);
  const lastDay = dayFrom(range.endDate, 'endDate', today);
  if (firstDay > lastDay) throw new SandboxError(400, `The date range's startDate ${String(range.startDate)} is after its endDate ${String(range.endDate)}.`);
  return { firstDay, lastDay };
}

function dayFrom(value: unknown, field: string, today: number): number {
  if (value === undefined) throw new SandboxError(400, `A date range needs a ${field}.`);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const ago = /^(\d+)daysAgo$/.exec(text);
  const day = text === 'today' ? today : text === 'yesterday' ? today - 1 : ago ? today - Number(ago[1]) : dayOf(text);
  if (day === undefined) throw new SandboxError(400, `Invalid ${field} "${text}": write YYYY-MM-DD, NdaysAgo, yesterday or today.`);
  return day;
}

/** The names of a `dimensions` or `metrics` list, each known to the sandbox and named once. */
function namesOf(value: unknown, list: 'dimensions' | 'metrics', known: string[], exists: (name: string) => boolean): string[] {
  const kind = list === 'dimensions' ? 'dimension' : 'metric';
  const names = listOf(value, list).map((item, i) => {
    const fields = fieldsOf(item, `${list}[${i}]`, known);
    if (fields.dimensionExpression !== undefined || fields.expression !== undefined) throw unserved(`${kind} expressions`);
    if (fields.invisible === true) throw unserved('invisible metrics');
    if (typeof fields.name !== 'string' || fields.name === '') throw new SandboxError(400, `${list}[${i}] needs a name.`);
    if (!exists(fields.name)) throw new SandboxError(400, `Field ${fields.name} is not a valid ${kind}. ${schemaLink}`);
    return fields.name;
  });
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new SandboxError(400, `The ${kind} ${repeated} is requested twice.`);
  return names;
}

function orderByOf(value: unknown, where: string, dimensions: string[], metrics: string[]): OrderBy {
  const fields = fieldsOf(value, where, ['desc', 'dimension', 'metric', 'pivot']);
  if (fields.pivot !== undefined) throw unserved('pivot order');
  const desc = booleanOf(fields.desc, `${where}.desc`) ?? false;
  if ((fields.dimension === undefined) === (fields.metric === undefined)) throw new SandboxError(400, `${where} needs exactly one of dimension or metric.`);
  if (fields.metric !== undefined) {
    const { metricName } = fieldsOf(fields.metric, `${where}.metric`, ['metricName']);
    return { metric: requested(metrics, metricName, where, 'metric'), desc };
  }
  const { dimensionName, orderType = 'ORDER_TYPE_UNSPECIFIED' } = fieldsOf(fields.dimension, `${where}.dimension`, ['dimensionName', 'orderType']);
  if (!dimensionOrderTypes.includes(orderType as DimensionOrderType)) throw new SandboxError(400, `Invalid value at '${where}.dimension.orderType', ${JSON.stringify(orderType)}.`);
  return { dimension: requested(dimensions, dimensionName, where, 'dimension'), orderType: orderType as DimensionOrderType, desc };
}

function requested(names: string[], name: unknown, where: string, kind: string): number {
  const index = names.indexOf(String(name));
  if (index < 0) throw new SandboxError(400, `${where} orders by ${String(name)}, which is not a ${kind} of the request.`);
  return index;
}

/** The object's fields, refusing names the message does not have, in Google's words. */
function fieldsOf(value: unknown, where: string, known: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SandboxError(400, `Invalid JSON payload received: ${where} must be an object.`);
  for (const name of Object.keys(value)) {
    if (!known.includes(name)) throw new SandboxError(400, `Invalid JSON payload received. Unknown name "${name}" at '${where}': Cannot find field.`);
  }
  return value as Record<string, unknown>;
}

function listOf(value: unknown, where: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new SandboxError(400, `Invalid JSON payload received: ${where} must be a list.`);
  return value;
}

function booleanOf(value: unknown, where: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new SandboxError(400, `Invalid value at '${where}' (TYPE_BOOL), ${JSON.stringify(value)}.`);
}

/** Proto3 JSON takes an int64 as a decimal string or as a number. */
function int64Of(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^-?\d+$/.test(text)) throw new SandboxError(400, `Invalid value at '${where}' (TYPE_INT64), ${JSON.stringify(value)}.`);
  return Number(text);
}

function unserved(feature: string): SandboxError {
  return new SandboxError(400, `The GA4 sandbox does not simulate ${feature}; the request is valid for GA4, but leave it out here.`);
}
