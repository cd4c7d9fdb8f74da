import { daysReadOf } from '../../runtime/account-choice.js';
import { TributaryError } from '../../../domain/errors.js';
import type { Account, ConnectionContext, ConnectorHooks, Discovery, StreamReadContext } from '../../runtime/hooks.js';
import type { RecordBatch } from '../../runtime/read-stream.js';

/**
 * GA4's Data API reports are not pages of records but a POST per question (`runReport`), rows of
 * dimension and metric values as strings. The hooks ask for one daily report per selected
 * property and turn each row into a record: `{ property_id, date, sessions, … }`, numbers as
 * numbers, keyed by property and day. Incremental reads start three days before the last day
 * read of each property, since GA4 keeps processing a day's data for up to 72 hours.
 * Docs: https://developers.google.com/analytics/devguides/reporting/data/v1/rest/v1beta/properties/runReport
 * and https://support.google.com/analytics/answer/11198161 (data freshness).
 */
export const trafficStream = 'traffic_daily';

/** The metrics a daily row carries, by GA4's API names, and the type of each record field. */
const metrics = ['sessions', 'totalUsers', 'newUsers', 'screenPageViews', 'bounceRate', 'averageSessionDuration', 'keyEvents', 'sessionConversionRate', 'totalRevenue'] as const;
const integers = new Set(['sessions', 'totalUsers', 'newUsers', 'screenPageViews', 'keyEvents']);
const pageSize = 10_000;
const settleDays = 3;

interface RunReportResponse {
  rows?: Array<{ dimensionValues: Array<{ value: string }>; metricValues: Array<{ value: string }> }>;
  rowCount?: number;
}

function propertyIds(config: Record<string, unknown>): string[] {
  const ids = String(config.propertyIds ?? '')
    .split(',')
    .map((id) => id.trim().replace(/^properties\//, ''))
    .filter(Boolean);
  if (ids.length === 0) throw new TributaryError('accounts_required', 'Choose the GA4 properties this connection reads: GET /connections/:id/accounts lists them, PUT stores the choice.');
  const bad = ids.find((id) => !/^\d+$/.test(id));
  if (bad) throw new TributaryError('validation_failed', `config.propertyIds: "${bad}" is not a GA4 property id (digits, as in properties/310873346).`);
  return ids;
}

/** `YYYYMMDD` → `YYYY-MM-DD`. */
const isoDate = (gaDate: string) => `${gaDate.slice(0, 4)}-${gaDate.slice(4, 6)}-${gaDate.slice(6, 8)}`;


function startDate(lastRead: string | undefined, config: Record<string, unknown>): string {
  if (lastRead && /^\d{4}-\d{2}-\d{2}$/.test(lastRead)) {
    const day = new Date(`${lastRead}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() - settleDays);
    return day.toISOString().slice(0, 10);
  }
  return `${Number(config.historyDays ?? 730)}daysAgo`;
}

async function* readTraffic(stream: string, context: ConnectionContext & StreamReadContext): AsyncGenerator<RecordBatch> {
  if (stream !== trafficStream) throw new TributaryError('not_found', `Google Analytics 4 has no stream named "${stream}".`);
  const read = daysReadOf(context.state);
  let page = 0;
  for (const propertyId of propertyIds(context.config)) {
    const from = startDate(read[propertyId], context.config);
    for (let offset = 0; ; offset += pageSize) {
      if (context.maxPages !== undefined && page >= context.maxPages) return;
      const response = await context.send({
        method: 'POST',
        path: `/v1beta/properties/${propertyId}:runReport`,
        body: {
          dateRanges: [{ startDate: from, endDate: 'yesterday' }],
          dimensions: [{ name: 'date' }],
          metrics: metrics.map((name) => ({ name })),
          orderBys: [{ dimension: { dimensionName: 'date' } }],
          limit: String(pageSize),
          offset: String(offset),
        },
      });
      const report = response.body as RunReportResponse;
      if (typeof report !== 'object' || report === null || (report.rows !== undefined && !Array.isArray(report.rows))) {
        throw new TributaryError('invalid_response', 'Google Analytics 4: a runReport answer did not have the documented shape (rows).');
      }
      const records = (report.rows ?? []).map((row) => {
        const record: Record<string, unknown> = { property_id: propertyId, date: isoDate(row.dimensionValues[0]!.value) };
        metrics.forEach((name, i) => (record[name] = integers.has(name) ? Number.parseInt(row.metricValues[i]!.value, 10) : Number(row.metricValues[i]!.value)));
        return record;
      });
      for (const record of records) {
        const last = read[propertyId];
        if (last === undefined || (record.date as string) > last) read[propertyId] = record.date as string;
      }
      page += 1;
      yield { records, page, bytes: response.bytes, cursor: JSON.stringify(read) };
      if (offset + pageSize >= (report.rowCount ?? 0)) break;
    }
  }
}

/** The one stream, keyed by property and day; its columns are the same for every property. */
async function discover(): Promise<Discovery> {
  const columns: Discovery['streams'][string]['columns'] = { property_id: { type: 'string' }, date: { type: 'date' } };
  for (const name of metrics) columns[name] = { type: integers.has(name) ? 'integer' : 'number' };
  return { streams: { [trafficStream]: { description: 'Sessions, users, pageviews, engagement, key events and revenue per property and day.', primaryKey: ['property_id', 'date'], cursorCandidates: ['date'], columns } } };
}

const dataHost = 'https://analyticsdata.googleapis.com';
const adminHost = 'https://analyticsadmin.googleapis.com';

interface AccountSummaries {
  accountSummaries?: Array<{ displayName?: string; propertySummaries?: Array<{ property: string; displayName?: string }> }>;
  nextPageToken?: string;
}

/**
 * Every property the grant can see, through the Admin API's account summaries (another Google
 * host, unless a sandbox or proxy stands for both).
 * Docs: https://developers.google.com/analytics/devguides/config/admin/v1/rest/v1beta/accountSummaries/list
 */
async function listProperties(context: ConnectionContext): Promise<Account[]> {
  const origin = context.baseUrl === dataHost ? adminHost : undefined;
  const properties: Account[] = [];
  let pageToken: string | undefined;
  do {
    const response = await context.send({ path: '/v1beta/accountSummaries', ...(origin ? { origin } : {}), query: { pageSize: '200', ...(pageToken ? { pageToken } : {}) } });
    const page = response.body as AccountSummaries;
    for (const account of page.accountSummaries ?? []) {
      for (const property of account.propertySummaries ?? []) {
        properties.push({ id: property.property.replace(/^properties\//, ''), name: property.displayName ?? property.property, ...(account.displayName ? { group: account.displayName } : {}) });
      }
    }
    pageToken = page.nextPageToken || undefined;
  } while (pageToken);
  return properties;
}

export const ga4Hooks: ConnectorHooks = { discover, readStream: readTraffic, accounts: { field: 'propertyIds', list: listProperties } };
