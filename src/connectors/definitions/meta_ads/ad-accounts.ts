import { SeededRandom } from '../../sandboxes/index.js';

/**
 * The sandbox's ad accounts and their campaigns, seeded once when the sandbox is made: a few
 * dozen small objects. Their daily numbers are drawn on demand (`campaign-delivery.ts`).
 */
export interface AdAccount {
  /** As Graph sends an ad account (https://developers.facebook.com/docs/marketing-api/reference/ad-account/). */
  node: {
    id: string;
    account_id: string;
    name: string;
    currency: 'USD' | 'EUR';
    timezone_name: string;
    account_status: 1;
  };
  campaigns: Campaign[];
}

export interface Campaign {
  /** As Graph sends a campaign (https://developers.facebook.com/docs/marketing-api/reference/ad-campaign-group/). */
  node: {
    id: string;
    account_id: string;
    name: string;
    objective: Objective;
    status: 'ACTIVE' | 'PAUSED';
    effective_status: 'ACTIVE' | 'PAUSED';
    /** In the currency's minor unit, as Graph sends budgets. */
    daily_budget: string;
    created_time: string;
    updated_time: string;
  };
  /** The first and the last day it delivered, counted since 1970-01-01. */
  firstDay: number;
  lastDay: number;
  /** A typical day, which each day's numbers vary around. */
  baseline: { impressions: number; ctrPercent: number; cpc: number; cartRate: number };
  /** Day d's numbers come from `random.fork(d)`: the same whichever days a request asks for. */
  random: SeededRandom;
}

export interface AdAccountSeeds {
  accounts: number;
  campaignsPerAccount: number;
  firstDataDay: number;
  lastDataDay: number;
}

type Objective = keyof typeof objectives;

// Outcome-based objectives (ODAX); awareness buys cheap impressions, traffic cheap clicks.
const objectives = {
  OUTCOME_SALES: { label: 'Sales', impressions: [4_000, 30_000], ctrPercent: [0.8, 2], cpc: [0.6, 1.8], cartRate: [0.06, 0.12] },
  OUTCOME_TRAFFIC: { label: 'Traffic', impressions: [6_000, 40_000], ctrPercent: [1.5, 2.6], cpc: [0.2, 0.7], cartRate: [0.02, 0.05] },
  OUTCOME_AWARENESS: { label: 'Awareness', impressions: [20_000, 90_000], ctrPercent: [0.65, 1.1], cpc: [0.4, 1], cartRate: [0.01, 0.03] },
} as const;

const markets = [
  { currency: 'USD', timezone_name: 'America/Los_Angeles' },
  { currency: 'EUR', timezone_name: 'Europe/Berlin' },
] as const;
const trades = ['Outfitters', 'Goods', 'Studio', 'Supply Co.', 'Roasters'];
const audiences = ['Prospecting', 'Retargeting', 'Lookalike 1%', 'Broad', 'Advantage+'];
const dayMs = 86_400_000;

export function seedAdAccounts(seeds: AdAccountSeeds): AdAccount[] {
  return Array.from({ length: seeds.accounts }, (_, i) => {
    const random = new SeededRandom(`meta_ads/account/${i}`);
    const account_id = String(418_000_000_000_001 + i);
    const market = markets[i % markets.length]!;
    const node = { id: `act_${account_id}`, account_id, name: `${capitalised(random.word())} ${random.pick(trades)}`, ...market, account_status: 1 as const };
    return { node, campaigns: Array.from({ length: seeds.campaignsPerAccount }, (_, j) => seedCampaign(node, j, seeds)) };
  });
}

function seedCampaign(account: AdAccount['node'], index: number, { firstDataDay, lastDataDay }: AdAccountSeeds): Campaign {
  // 17 digits like Graph's ids: too long for a JavaScript number, so built as text.
  const id = `2385${account.account_id.slice(-5)}${String(index + 1).padStart(8, '0')}`;
  const random = new SeededRandom(`meta_ads/campaign/${id}`);
  const objective = random.pick(Object.keys(objectives) as Objective[]);
  const shape = objectives[objective];
  const between = ([low, high]: readonly [number, number]) => low + random.next() * (high - low);
  const baseline = { impressions: between(shape.impressions), ctrPercent: between(shape.ctrPercent), cpc: between(shape.cpc), cartRate: between(shape.cartRate) };

  // The first campaign runs on every day, so `date_preset=maximum` reaches back to the first day with data.
  const firstDay = index === 0 ? firstDataDay : random.int(firstDataDay, firstDataDay + Math.floor((lastDataDay - firstDataDay) * 0.7));
  const status = index === 0 || random.next() < 0.7 ? 'ACTIVE' : 'PAUSED';
  const lastDay = status === 'ACTIVE' ? lastDataDay : random.int(Math.min(firstDay + 6, lastDataDay), lastDataDay);
  const createdMs = (firstDay - random.int(1, 6)) * dayMs + random.int(0, 86_399) * 1_000;
  const updatedMs = status === 'PAUSED' ? (lastDay + 1) * dayMs + random.int(0, 86_399) * 1_000 : random.int(createdMs / 1_000, (lastDataDay + 1) * 86_400 - 1) * 1_000;
  const typicalSpend = (baseline.impressions * baseline.ctrPercent * baseline.cpc) / 100;
  return {
    node: {
      id,
      account_id: account.account_id,
      name: `${shape.label} | ${capitalised(random.word())} | ${random.pick(audiences)}`,
      objective,
      status,
      effective_status: status,
      // A budget a little above a typical day's spend, in whole tens.
      daily_budget: String(Math.ceil((typicalSpend * 1.2) / 10) * 1_000),
      created_time: graphTime(createdMs, account.timezone_name),
      updated_time: graphTime(updatedMs, account.timezone_name),
    },
    firstDay,
    lastDay,
    baseline,
    random,
  };
}

/** Graph's datetimes: local to the account, the offset without a colon (`2025-03-04T09:12:33-0800`). */
function graphTime(ms: number, timeZone: string): string {
  const zone = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(ms).find((part) => part.type === 'timeZoneName');
  const [, sign = '+', hours = '00', minutes = '00'] = /^GMT([+-])(\d\d):(\d\d)$/.exec(zone?.value ?? '') ?? [];
  const offsetMs = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
  return `${new Date(ms + offsetMs).toISOString().slice(0, 19)}${sign}${hours}${minutes}`;
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
