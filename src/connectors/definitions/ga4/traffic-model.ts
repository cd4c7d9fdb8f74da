import { SeededRandom } from '../../sandboxes/index.js';
import { dayOf, dayOfYear, weekdayOf } from './calendar.js';

/**
 * The traffic behind the sandbox's reports: for one property, one day and one default channel
 * group, the raw counts every supported GA4 metric is derived from. Rates are never stored, only
 * their numerators and denominators, so a report over any grouping (by day, by channel, the whole
 * range) sums counts and recomputes rates, and agrees with the per-day rows it adds up.
 *
 * Each property draws its traits once (size, growth, weekend dip, bounce rate, order value); each
 * day draws from its own stream seeded by the property id and the date, so any day is built alone,
 * in microseconds, and reads the same whichever range asked for it.
 */
export interface TrafficCounts {
  sessions: number;
  /** Sessions that lasted over 10 seconds, viewed two or more pages or had a key event; the others bounced. */
  engagedSessions: number;
  totalUsers: number;
  activeUsers: number;
  newUsers: number;
  screenPageViews: number;
  sessionDurationMs: number;
  /** Sessions with at least one key event. */
  convertingSessions: number;
  keyEvents: number;
  revenueCents: number;
}

export function emptyCounts(): TrafficCounts {
  return {
    sessions: 0,
    engagedSessions: 0,
    totalUsers: 0,
    activeUsers: 0,
    newUsers: 0,
    screenPageViews: 0,
    sessionDurationMs: 0,
    convertingSessions: 0,
    keyEvents: 0,
    revenueCents: 0,
  };
}

// Spelled out, not looped over the keys: a report adds thousands of these per request.
export function addCounts(total: TrafficCounts, counts: TrafficCounts): void {
  total.sessions += counts.sessions;
  total.engagedSessions += counts.engagedSessions;
  total.totalUsers += counts.totalUsers;
  total.activeUsers += counts.activeUsers;
  total.newUsers += counts.newUsers;
  total.screenPageViews += counts.screenPageViews;
  total.sessionDurationMs += counts.sessionDurationMs;
  total.convertingSessions += counts.convertingSessions;
  total.keyEvents += counts.keyEvents;
  total.revenueCents += counts.revenueCents;
}

/** The default channel groups the sandbox's sessions arrive from, with how each leans off the property's average. */
const channels = [
  { name: 'Organic Search', share: 0.38, bounceShift: 0, conversion: 1, newUsers: 1 },
  { name: 'Direct', share: 0.24, bounceShift: -0.04, conversion: 1.3, newUsers: 0.75 },
  { name: 'Paid Search', share: 0.12, bounceShift: 0.03, conversion: 1.4, newUsers: 1.1 },
  { name: 'Organic Social', share: 0.09, bounceShift: 0.08, conversion: 0.6, newUsers: 1.15 },
  { name: 'Referral', share: 0.08, bounceShift: -0.02, conversion: 1.1, newUsers: 0.95 },
  { name: 'Email', share: 0.06, bounceShift: -0.08, conversion: 1.8, newUsers: 0.4 },
  { name: 'Unassigned', share: 0.03, bounceShift: 0.1, conversion: 0.5, newUsers: 1 },
] as const;

export const channelGroups: readonly string[] = channels.map((channel) => channel.name);

/** Growth is compounded from this day, so a date's traffic never depends on the window the sandbox holds. */
const trendEpoch = dayOf('2024-01-01')!;
/** Late November: the Black Friday peak of the yearly season. */
const seasonPeakDay = 330;

/** One property's traffic: the counts of each channel group (in `channelGroups` order) on a day. */
export type PropertyTraffic = (day: number) => TrafficCounts[];

export function propertyTraffic(propertyId: string): PropertyTraffic {
  const root = new SeededRandom(`ga4/properties/${propertyId}`);
  const traits = traitsOf(root.fork('traits'));
  return (day) => {
    const random = root.fork(day);
    const weekday = weekdayOf(day);
    const weekly = weekday === 0 ? traits.weekendDip + 0.03 : weekday === 6 ? traits.weekendDip : weekdayLift[weekday]!;
    const season = 1 + traits.season * Math.cos((2 * Math.PI * (dayOfYear(day) - seasonPeakDay)) / 365.25);
    const trend = (1 + traits.growth) ** ((day - trendEpoch) / 365.25);
    const daySessions = traits.sessions * weekly * season * trend * between(random, 0.9, 1.1);
    return channels.map((channel, i) => channelDay(random, traits, channel, daySessions * traits.shares[i]!));
  };
}

// Monday to Friday; the weekend comes from the property's own dip.
const weekdayLift = [undefined, 1.04, 1.08, 1.06, 1.03, 0.96];

type Traits = ReturnType<typeof traitsOf>;

function traitsOf(random: SeededRandom) {
  return {
    /** A weekday's sessions at the trend epoch, before the season. */
    sessions: between(random, 300, 2_400),
    growth: between(random, 0.05, 0.35),
    weekendDip: between(random, 0.55, 0.85),
    season: between(random, 0.05, 0.2),
    usersPerSession: between(random, 0.72, 0.86),
    newUserShare: between(random, 0.55, 0.75),
    pagesPerSession: between(random, 1.8, 3.2),
    bounceRate: between(random, 0.38, 0.58),
    sessionSeconds: between(random, 90, 260),
    conversionRate: between(random, 0.012, 0.045),
    orderValue: between(random, 35, 140),
    shares: channels.map((channel) => channel.share * between(random, 0.7, 1.3)),
  };
}

function channelDay(random: SeededRandom, traits: Traits, channel: (typeof channels)[number], expectedSessions: number): TrafficCounts {
  const sessions = Math.round(expectedSessions * between(random, 0.85, 1.15));
  const bounceRate = clamp(traits.bounceRate + channel.bounceShift + between(random, -0.03, 0.03), 0.3, 0.7);
  const engagedSessions = Math.round(sessions * (1 - bounceRate));
  // Every session has a user, however the ratio rounds.
  const totalUsers = clamp(Math.round(sessions * traits.usersPerSession * between(random, 0.97, 1.03)), Math.min(sessions, 1), sessions);
  const convertingSessions = Math.min(engagedSessions, Math.round(sessions * traits.conversionRate * channel.conversion * between(random, 0.7, 1.3)));
  return {
    sessions,
    engagedSessions,
    totalUsers,
    activeUsers: Math.round(totalUsers * between(random, 0.93, 0.99)),
    newUsers: Math.min(totalUsers, Math.round(totalUsers * traits.newUserShare * channel.newUsers * between(random, 0.95, 1.05))),
    screenPageViews: Math.round(sessions * traits.pagesPerSession * between(random, 0.9, 1.1)),
    sessionDurationMs: Math.round(sessions * traits.sessionSeconds * between(random, 0.85, 1.15) * 1_000),
    convertingSessions,
    // Some converting sessions trigger a second key event.
    keyEvents: convertingSessions + Math.round(convertingSessions * between(random, 0, 0.25)),
    revenueCents: Math.round(convertingSessions * traits.orderValue * between(random, 0.8, 1.2) * 100),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function between(random: SeededRandom, min: number, max: number): number {
  return min + random.next() * (max - min);
}
