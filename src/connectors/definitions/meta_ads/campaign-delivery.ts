import type { Campaign } from './ad-accounts.js';
import { weekdayOf } from './report-period.js';

/**
 * What campaigns delivered over some days, as whole counts (spend in cents), so that a sum over
 * days or campaigns is exact and every rate can be worked out again from the counts.
 */
export interface Delivery {
  impressions: number;
  clicks: number;
  spendCents: number;
  actions: Record<ActionType, number>;
}

/** In the order rows list them: a funnel, each step a share of the one before. */
export const actionTypes = ['link_click', 'landing_page_view', 'offsite_conversion.fb_pixel_add_to_cart', 'offsite_conversion.fb_pixel_purchase'] as const;
export type ActionType = (typeof actionTypes)[number];

// Sunday first, as Date.getUTCDay: people see and click more ads on weekdays.
const weekdayFactor = [0.86, 1.04, 1.08, 1.07, 1.03, 0.97, 0.88];
// January first: the autumn sales and December lift every account.
const monthFactor = [0.88, 0.92, 0.97, 0.98, 1, 0.97, 0.95, 0.97, 1.02, 1.05, 1.25, 1.3];
const dayMs = 86_400_000;

export function noDelivery(): Delivery {
  return { impressions: 0, clicks: 0, spendCents: 0, actions: Object.fromEntries(actionTypes.map((type) => [type, 0])) as Record<ActionType, number> };
}

/** Adds to `total` what `campaign` delivered on days `from` to `to`, both included, on the days it ran. */
export function addDelivery(total: Delivery, campaign: Campaign, from: number, to: number): void {
  const last = Math.min(to, campaign.lastDay);
  for (let day = Math.max(from, campaign.firstDay); day <= last; day++) addDay(total, campaign, day);
}

function addDay(total: Delivery, { baseline, random: campaignRandom }: Campaign, day: number): void {
  const random = campaignRandom.fork(day);
  const around = (spread: number) => 1 - spread + random.next() * 2 * spread;
  const season = weekdayFactor[weekdayOf(day)]! * monthFactor[new Date(day * dayMs).getUTCMonth()]!;
  const impressions = Math.round(baseline.impressions * season * around(0.15));
  const clicks = Math.round((impressions * baseline.ctrPercent * around(0.12)) / 100);
  const linkClicks = Math.round(clicks * (0.6 + 0.25 * random.next()));
  const landingPageViews = Math.round(linkClicks * (0.7 + 0.2 * random.next()));
  const addsToCart = Math.round(landingPageViews * baseline.cartRate * around(0.3));
  total.impressions += impressions;
  total.clicks += clicks;
  total.spendCents += Math.round(clicks * baseline.cpc * around(0.1) * 100);
  total.actions.link_click += linkClicks;
  total.actions.landing_page_view += landingPageViews;
  total.actions['offsite_conversion.fb_pixel_add_to_cart'] += addsToCart;
  total.actions['offsite_conversion.fb_pixel_purchase'] += Math.round(addsToCart * (0.2 + 0.2 * random.next()));
}
