import type { ConnectionContext, DiscoveredStream, StreamReadContext } from '../../runtime/hooks.js';
import type { RecordBatch } from '../../runtime/read-stream.js';
import { adAccountIds } from './ad-account-ids.js';
import { graphList, graphVersion } from './graph-list.js';

/**
 * `campaigns`: every campaign of the chosen ad accounts, read in full each sync (a few hundred
 * small nodes): names, objectives and budgets to read the daily insights by.
 * `GET /act_<id>/campaigns?fields=…` (https://developers.facebook.com/docs/marketing-api/reference/ad-account/campaigns/).
 */
export const campaignsStream = 'campaigns';

const fields = ['id', 'account_id', 'name', 'objective', 'status', 'effective_status', 'daily_budget', 'created_time', 'updated_time'];

export const campaignColumns: DiscoveredStream = {
  description: 'The campaigns of the chosen ad accounts: name, objective, status and daily budget.',
  primaryKey: ['id'],
  columns: {
    id: { type: 'string' },
    account_id: { type: 'string' },
    name: { type: 'string' },
    objective: { type: 'string' },
    status: { type: 'string' },
    effective_status: { type: 'string' },
    daily_budget: { type: 'integer', label: 'Daily budget, in the currency’s minor unit (cents)' },
    created_time: { type: 'timestamp' },
    updated_time: { type: 'timestamp' },
  },
};

export async function* readCampaigns(context: ConnectionContext & StreamReadContext): AsyncGenerator<RecordBatch> {
  let page = 0;
  for (const account of adAccountIds(context.config)) {
    for await (const list of graphList(context, `/${graphVersion}/${account}/campaigns`, { fields: fields.join(','), limit: '500' })) {
      if (context.maxPages !== undefined && page >= context.maxPages) return;
      page += 1;
      // Graph sends budgets as strings of minor units; a campaign whose ad sets hold the budget has none.
      const records = list.records.map((campaign) => (typeof campaign.daily_budget === 'string' ? { ...campaign, daily_budget: Number(campaign.daily_budget) } : campaign));
      yield { records, page, bytes: list.bytes, cursor: undefined };
    }
  }
}
