import { SeededRandom, seededRecords } from '../../sandboxes/index.js';
import { dayMs } from './statistics-window.js';

/**
 * What happens on the sandbox member's LinkedIn Pages: the organizations they administer (and one
 * they may only analyse), the posts each publishes, and each day's organic share statistics. A
 * day is a UTC day counted from 1970-01-01; its posts and numbers come from a stream seeded by the
 * organization and the day alone, so a day reads the same whenever and by whichever range it is
 * asked. Impressions follow the Page's size, the weekday and the posts of that day and the day
 * before; clicks and reactions are drawn from the impressions, comments and reposts from the
 * reactions, and `engagement` is LinkedIn's ratio, follows included
 * (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics).
 */
export interface SandboxOrganization {
  id: string;
  urn: string;
  localizedName: string;
  vanityName: string;
  role: 'ADMINISTRATOR' | 'ANALYST';
  followers: number;
}

export interface ShareStatistics {
  impressionCount: number;
  uniqueImpressionsCount: number;
  clickCount: number;
  likeCount: number;
  commentCount: number;
  shareCount: number;
  shareMentionsCount: number;
  commentMentionsCount: number;
  engagement: number;
}

const kinds = ['Labs', 'Studio', 'Analytics', 'Robotics', 'Foods', 'Logistics'];

/** `administered` organizations the member is an ADMINISTRATOR of, then one they are only an ANALYST of. */
export function seedOrganizations(administered: number): SandboxOrganization[] {
  const seeded = seededRecords('linkedin/organizations', administered + 1, (random, i): SandboxOrganization => {
    const word = random.word();
    const id = String(10_000_000 + i * 1_000_003 + random.int(0, 999_999));
    const name = `${word.charAt(0).toUpperCase()}${word.slice(1)} ${random.pick(kinds)}`;
    return { id, urn: `urn:li:organization:${id}`, localizedName: name, vanityName: name.toLowerCase().replace(/\W+/g, '-'), role: i < administered ? 'ADMINISTRATOR' : 'ANALYST', followers: random.int(2_000, 80_000) };
  });
  return Array.from({ length: administered + 1 }, (_, i) => seeded.recordAt(i));
}

/** Posts on `day`: up to two on a weekday, rarely one at the weekend. */
export function postsOn(organization: SandboxOrganization, day: number): number {
  const random = new SeededRandom(`linkedin/posts/${organization.id}/${day}`);
  return isWeekend(day) ? (random.next() < 0.2 ? 1 : 0) : random.int(0, 2);
}

export function shareStatisticsOn(organization: SandboxOrganization, day: number): ShareStatistics {
  const random = new SeededRandom(`linkedin/statistics/${organization.id}/${day}`);
  const reach = organization.followers * 0.03 * (isWeekend(day) ? 0.55 : 1);
  const impressions = Math.round(reach * (0.4 + 0.8 * postsOn(organization, day) + 0.35 * postsOn(organization, day - 1)) * (0.85 + 0.3 * random.next()));
  const clicks = Math.round(impressions * (0.008 + 0.02 * random.next()));
  const likes = Math.round(impressions * (0.006 + 0.015 * random.next()));
  const comments = Math.round(likes * (0.05 + 0.15 * random.next()));
  const shares = Math.round(likes * (0.02 + 0.08 * random.next()));
  const follows = Math.round(impressions * 0.001 * random.next());
  return {
    impressionCount: impressions,
    uniqueImpressionsCount: Math.round(impressions * (0.62 + 0.15 * random.next())),
    clickCount: clicks,
    likeCount: likes,
    commentCount: comments,
    shareCount: shares,
    shareMentionsCount: random.next() < 0.1 ? 1 : 0,
    commentMentionsCount: random.next() < 0.05 ? 1 : 0,
    engagement: impressions === 0 ? 0 : (clicks + likes + comments + shares + follows) / impressions,
  };
}

/**
 * The organization's posts of days `firstDay` to `lastDay`, newest first, in the Posts API's shape
 * (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api).
 * Each is published the moment it is created and never edited.
 */
export function postsBetween(organization: SandboxOrganization, index: number, firstDay: number, lastDay: number): Array<Record<string, unknown> & { createdAt: number }> {
  const posts: Array<Record<string, unknown> & { createdAt: number }> = [];
  for (let day = lastDay; day >= firstDay; day--) {
    const count = postsOn(organization, day);
    const random = new SeededRandom(`linkedin/post-times/${organization.id}/${day}`);
    const times = Array.from({ length: count }, (_, k) => day * dayMs + (8 + 5 * k) * 3_600_000 + random.int(0, 4 * 3_600_000));
    for (let k = count - 1; k >= 0; k--) {
      const at = times[k]!;
      posts.push({
        id: `urn:li:share:7${String(index).padStart(3, '0')}${String(day).padStart(7, '0')}${String(k).padStart(8, '0')}`,
        author: organization.urn,
        commentary: `${random.word()} ${random.word()}: what we learned this week`,
        visibility: 'PUBLIC',
        distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
        lifecycleState: 'PUBLISHED',
        lifecycleStateInfo: { isEditedByAuthor: false },
        isReshareDisabledByAuthor: false,
        createdAt: at,
        lastModifiedAt: at,
        publishedAt: at,
      });
    }
  }
  return posts;
}

function isWeekend(day: number): boolean {
  // 1970-01-01 was a Thursday: day 2 a Saturday, day 3 a Sunday.
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6;
}
