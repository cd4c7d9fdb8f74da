import { TributaryError } from '../../../domain/errors.js';
import type { Account, ConnectionContext, ConnectorHooks, Discovery, StreamReadContext } from '../../runtime/hooks.js';
import type { RecordBatch } from '../../runtime/read-stream.js';
import { campaignColumns, campaignsStream, readCampaigns } from './campaigns-stream.js';
import { graphList, graphVersion } from './graph-list.js';
import { insightsColumns, insightsStream, readInsights } from './insights-stream.js';

/** A cheap call that proves the token (`GET /me`), then the two streams, whose columns are the same for every account. */
async function discover(context: ConnectionContext): Promise<Discovery> {
  await context.send({ path: `/${graphVersion}/me`, query: { fields: 'id' } });
  return { streams: { [insightsStream]: insightsColumns, [campaignsStream]: campaignColumns } };
}

function readStream(stream: string, context: ConnectionContext & StreamReadContext): AsyncGenerator<RecordBatch> {
  if (stream === insightsStream) return readInsights(context, Math.floor(context.clock.now() / 86_400_000));
  if (stream === campaignsStream) return readCampaigns(context);
  throw new TributaryError('not_found', `Meta Ads has no stream named "${stream}".`);
}

/**
 * Every ad account the sign-in can see, as `act_<id>` (Graph's node id).
 * Docs: https://developers.facebook.com/docs/marketing-api/reference/user/adaccounts/
 */
async function listAdAccounts(context: ConnectionContext): Promise<Account[]> {
  const accounts: Account[] = [];
  for await (const list of graphList(context, `/${graphVersion}/me/adaccounts`, { fields: 'id,name,currency', limit: '100' })) {
    for (const { id, name, currency } of list.records) accounts.push({ id: String(id), name: `${String(name ?? id)}${currency ? ` (${String(currency)})` : ''}` });
  }
  return accounts;
}

/**
 * Meta's Marketing API reads one ad account at a time and its insights are reports, not lists of
 * changes, so both streams are read by code: per chosen ad account (`ad-account-ids.ts`), each
 * with Graph's cursor paging (`graph-list.ts`).
 */
export const metaAdsHooks: ConnectorHooks = { discover, readStream, accounts: { field: 'adAccountIds', list: listAdAccounts } };
