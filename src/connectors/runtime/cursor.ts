import { TributaryError } from '../../domain/errors.js';
import { isValidPath, pathReader } from './select.js';

export interface IncrementalConfig {
  /** Dotted path to the field that grows as records change (`updatedAt`, `meta.modified`). */
  field: string;
  /** ISO 8601 duration re-read before the saved cursor, for records committed late (`PT1H`, `P1D`). */
  lookback?: string;
}

// Weeks, days, hours, minutes and seconds only: months and years have no fixed length.
const durationPattern = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const unitMs = [7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000];

/** Milliseconds in an ISO 8601 duration of W, D, H, M and S; `validation_failed` for anything else. */
export function parseDuration(duration: string): number {
  const match = durationPattern.exec(duration);
  if (!match || duration === 'P') {
    throw new TributaryError('validation_failed', 'The lookback must be an ISO 8601 duration in weeks, days, hours, minutes or seconds, like PT1H or P1D.', {
      details: { field: 'lookback' },
    });
  }
  return unitMs.reduce((total, ms, i) => total + Number(match[i + 1] ?? 0) * ms, 0);
}

const numeric = /^-?\d+(?:\.\d+)?$/;
const timestamp = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * The high-water mark of one incremental read: starts from the saved state, rises with every
 * record observed, and is committed by the caller only after the destination committed.
 */
export class IncrementalCursor {
  private readonly read: (record: unknown) => unknown;
  private readonly lookbackMs: number;
  private readonly saved: string | undefined;
  private highest: string | undefined;
  /** `highest` as an instant, parsed once and only when needed: observe runs for every record of a read. */
  private highestInstant: number | undefined;
  private highestParsed = false;
  /** `highest` is a plain UTC timestamp (`sortsAsInstant`), so a value of its length and form compares as text. */
  private highestSortsAsInstant = false;

  constructor(config: IncrementalConfig, saved: string | undefined) {
    if (!isValidPath(config.field)) {
      throw new TributaryError('validation_failed', 'The incremental cursor field must be a dotted path, like "updatedAt".', {
        details: { field: 'field' },
      });
    }
    this.read = pathReader(config.field);
    this.lookbackMs = config.lookback === undefined ? 0 : parseDuration(config.lookback);
    this.saved = saved;
    if (saved !== undefined) this.raise(saved, sortsAsInstant(saved));
  }

  observe(record: unknown): void {
    const raw = this.read(record);
    const value = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
    if (typeof value !== 'string' || value === '') return;
    const highest = this.highest;
    if (highest === undefined) return this.raise(value, sortsAsInstant(value));
    // The common case, every record in Date#toISOString form: ordered as text, exactly as parsed.
    if (this.highestSortsAsInstant && value.length === highest.length && sortsAsInstant(value)) {
      if (value > highest) this.raise(value, true);
      return;
    }
    const instant = parseInstant(value);
    if (!this.highestParsed) {
      this.highestInstant = parseInstant(highest);
      this.highestParsed = true;
    }
    const higher = instant !== undefined && this.highestInstant !== undefined ? instant > this.highestInstant : compareCursors(value, highest) > 0;
    if (higher) {
      this.raise(value, sortsAsInstant(value));
      this.highestInstant = instant;
      this.highestParsed = true;
    }
  }

  private raise(value: string, asInstant: boolean): void {
    this.highest = value;
    this.highestParsed = false;
    this.highestSortsAsInstant = asInstant;
  }

  /** The highest value seen, or the saved one when no record went past it. */
  get value(): string | undefined {
    return this.highest;
  }

  /**
   * The lower bound for this read: the saved value minus the lookback. The lookback applies to
   * timestamps only: a number may be an id, epoch seconds or milliseconds, and a wrong guess
   * would skip records. The result keeps the saved value's precision, rounded down, so rounding
   * only widens the window.
   */
  startFrom(): string | undefined {
    const instant = this.saved === undefined ? undefined : parseInstant(this.saved);
    if (instant === undefined || this.lookbackMs === 0) return this.saved;
    const iso = new Date(instant - this.lookbackMs).toISOString();
    if (!this.saved?.includes(':')) return iso.slice(0, 10);
    return /\.\d/.test(this.saved) ? iso : `${iso.slice(0, 19)}Z`;
  }
}

/**
 * A valid UTC timestamp with at most milliseconds, like Date#toISOString writes. Two of these of
 * the same length order as text exactly as they order as instants: fixed-width fields, largest
 * first. Impossible dates that Date.parse rolls over (Feb 30, 24:00) are left to `parseInstant`.
 */
const plainUtc = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,3})?Z$/;
const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function sortsAsInstant(value: string): boolean {
  if (!plainUtc.test(value)) return false;
  const day = Number(value.slice(8, 10));
  if (day <= 28) return true;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : daysInMonth[month - 1]!);
}

/** Orders two cursor values: as instants, else as numbers, else as strings. */
function compareCursors(a: string, b: string): number {
  const [instantA, instantB] = [parseInstant(a), parseInstant(b)];
  if (instantA !== undefined && instantB !== undefined) return Math.sign(instantA - instantB);
  if (numeric.test(a) && numeric.test(b)) return Math.sign(Number(a) - Number(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

// A timestamp without an offset is read as UTC, not the host's zone, so a run's result does not
// depend on where the hub runs.
function parseInstant(value: string): number | undefined {
  const match = timestamp.exec(value);
  if (!match) return undefined;
  const utc = value.includes(':') && match[1] === undefined ? `${value}Z` : value;
  const ms = Date.parse(utc.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : ms;
}
