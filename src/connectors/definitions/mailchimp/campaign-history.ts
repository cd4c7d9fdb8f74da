import { seededRecords, type SeededRandom } from '../../sandboxes/index.js';

/**
 * The sandbox account's history: a few audiences and `count` campaigns created one after another
 * over the two years before `now`, most of them sent, some still drafts or scheduled. A sent
 * campaign has a report whose counts hold together as Mailchimp's do: bounces come out of the
 * sends, unique opens out of the deliveries, subscribers who clicked out of those who opened,
 * and every total is at least its unique count.
 * Shapes: https://mailchimp.com/developer/marketing/api/campaigns/list-campaigns/ and
 * https://mailchimp.com/developer/marketing/api/reports/list-campaign-reports/ (records leave out
 * their `_links`, `timewarp`, `timeseries`, `industry_stats` and `facebook_likes`).
 */
export interface Audience {
  id: string;
  name: string;
  size: number;
}

export interface SandboxCampaign {
  campaign: Record<string, unknown> & { id: string; create_time: string; send_time: string; status: string };
  /** Only a sent campaign has one. */
  report: CampaignReport | undefined;
}

export type CampaignReport = ReturnType<typeof reportOf>;

const dayMs = 86_400_000;
const topics = ['Spring sale', 'Product update', 'Monthly newsletter', 'Webinar invite', 'Customer story', 'Holiday hours', 'New arrivals', 'Survey'];

export function seedAudiences(count: number): Audience[] {
  const seeded = seededRecords('mailchimp/audiences', count, (random, i) => ({
    id: hexId(random, 10),
    name: `${['Customers', 'Newsletter', 'Prospects', 'Partners'][i % 4]} (${random.word()})`,
    size: random.int(800, 25_000),
  }));
  return Array.from({ length: count }, (_, i) => seeded.recordAt(i));
}

/** Campaign i is created after campaign i - 1; each is sent (or due) one to 48 hours after it was created. */
export function seedCampaigns(count: number, audiences: readonly Audience[], now: number): SandboxCampaign[] {
  const first = now - 730 * dayMs;
  const spacing = (730 * dayMs) / Math.max(count, 1);
  const seeded = seededRecords('mailchimp/campaigns', count, (random, i) => campaignAt(random, audiences, first + i * spacing + random.int(0, Math.floor(spacing / 2)), now));
  return Array.from({ length: count }, (_, i) => seeded.recordAt(i));
}

function campaignAt(random: SeededRandom, audiences: readonly Audience[], created: number, now: number): SandboxCampaign {
  const id = hexId(random, 10);
  const audience = random.pick(audiences);
  const topic = random.pick(topics);
  const sendAt = created + random.int(1, 48) * 3_600_000;
  const draft = random.next() < 0.08;
  const status = draft ? 'save' : sendAt > now ? 'schedule' : 'sent';
  const recipients = Math.round(audience.size * (random.next() < 0.7 ? 1 : 0.3 + random.next() * 0.6));
  const sent = status === 'sent';
  const sendTime = draft ? '' : mailchimpTime(sendAt);
  const report = sent ? reportOf(random, id, topic, audience, recipients, sendTime) : undefined;
  const campaign = {
    id,
    web_id: random.int(1_000_000, 9_999_999),
    type: random.next() < 0.9 ? 'regular' : 'plaintext',
    create_time: mailchimpTime(created),
    archive_url: `https://mailchi.mp/example/${id}`,
    status,
    emails_sent: sent ? recipients : 0,
    send_time: sendTime,
    content_type: 'template',
    needs_block_refresh: false,
    resendable: sent,
    recipients: { list_id: audience.id, list_is_active: true, list_name: audience.name, segment_text: '', recipient_count: recipients },
    settings: {
      subject_line: `${topic}: ${random.word()} edition`,
      preview_text: '',
      title: `${topic} ${new Date(created).toISOString().slice(0, 7)}`,
      from_name: 'Sandbox Outfitters',
      reply_to: 'hello@example.com',
      to_name: '*|FNAME|*',
      folder_id: '',
      authenticate: true,
      auto_footer: false,
      inline_css: false,
      timewarp: false,
      template_id: random.int(10_000, 99_999),
      drag_and_drop: true,
    },
    tracking: { opens: true, html_clicks: true, text_clicks: false, goal_tracking: false, ecomm360: false, google_analytics: '', clicktale: '' },
    ...(report && {
      report_summary: {
        opens: report.opens.opens_total,
        unique_opens: report.opens.unique_opens,
        open_rate: report.opens.open_rate,
        clicks: report.clicks.clicks_total,
        subscriber_clicks: report.clicks.unique_subscriber_clicks,
        click_rate: report.clicks.click_rate,
      },
    }),
    delivery_status: { enabled: false },
  };
  return { campaign, report };
}

function reportOf(random: SeededRandom, id: string, topic: string, audience: Audience, sent: number, sendTime: string) {
  const hard = Math.round(sent * random.next() * 0.01);
  const soft = Math.round(sent * random.next() * 0.015);
  const syntax = random.int(0, 2);
  const delivered = Math.max(0, sent - hard - soft - syntax);
  const uniqueOpens = Math.round(delivered * (0.18 + random.next() * 0.27));
  const proxyUniqueOpens = Math.round(uniqueOpens * (0.3 + random.next() * 0.3));
  const subscriberClicks = Math.round(uniqueOpens * (0.05 + random.next() * 0.15));
  const uniqueClicks = Math.round(subscriberClicks * (1 + random.next() * 0.4));
  const opensTotal = Math.round(uniqueOpens * (1.3 + random.next() * 0.9));
  const clicksTotal = Math.round(uniqueClicks * (1.1 + random.next() * 0.5));
  // Mailchimp's rates: per delivered email, never per sent one.
  const per = (count: number) => (delivered === 0 ? 0 : count / delivered);
  return {
    id,
    campaign_title: topic,
    type: 'regular',
    list_id: audience.id,
    list_is_active: true,
    list_name: audience.name,
    subject_line: topic,
    preview_text: '',
    emails_sent: sent,
    abuse_reports: random.int(0, 2),
    unsubscribed: Math.round(delivered * (0.001 + random.next() * 0.004)),
    send_time: sendTime,
    bounces: { hard_bounces: hard, soft_bounces: soft, syntax_errors: syntax },
    forwards: { forwards_count: random.int(0, 12), forwards_opens: random.int(0, 20) },
    opens: {
      opens_total: opensTotal,
      proxy_excluded_opens: opensTotal - proxyUniqueOpens,
      unique_opens: uniqueOpens,
      proxy_excluded_unique_opens: uniqueOpens - proxyUniqueOpens,
      open_rate: per(uniqueOpens),
      proxy_excluded_open_rate: per(uniqueOpens - proxyUniqueOpens),
      last_open: sendTime,
    },
    clicks: { clicks_total: clicksTotal, unique_clicks: uniqueClicks, unique_subscriber_clicks: subscriberClicks, click_rate: per(subscriberClicks), last_click: sendTime },
    list_stats: { sub_rate: random.int(1, 40) / 10, unsub_rate: random.int(1, 20) / 10, open_rate: random.int(150, 450) / 10, click_rate: random.int(10, 60) / 10 },
    ecommerce: { total_orders: 0, total_spent: 0, total_revenue: 0, currency_code: 'USD' },
    delivery_status: { enabled: false },
  };
}

/** `2026-11-24T15:41:36+00:00`, how Mailchimp writes times. */
export function mailchimpTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}+00:00`;
}

function hexId(random: SeededRandom, digits: number): string {
  return Array.from({ length: digits }, () => random.int(0, 15).toString(16)).join('');
}
