import type { ColumnType, SchemaChange, StreamTable } from './destination.js';

/**
 * What both backends share about a table's shape: how a record's field becomes a column name,
 * which type a value asks for, and how a column widens when values stop fitting. Widening only
 * moves up the lattice (integer → number → string, timestamp → string, anything → json), and a
 * column's values are always derived from `_raw` by SQL, so a table loaded batch by batch ends
 * the same as one loaded all at once and a value is never squeezed into a column it does not fit.
 */

/** Our own columns; a record field that would take one of these names stays in `_raw` only. */
export const ownColumns: ReadonlySet<string> = new Set(['_raw', '_synced_at', '_run_id']);

/** Names already worked out: a stream's records repeat the same few hundred keys, page after page. */
const names = new Map<string, string>();

/** `createdAt` → `created_at`, `First Name` → `first_name`, `2fa` → `_2fa`; at most 63 characters (PostgreSQL's limit). */
export function columnName(key: string): string {
  let name = names.get(key);
  if (name === undefined) {
    if (names.size >= 10_000) names.clear();
    names.set(key, (name = normalize(key)));
  }
  return name;
}

function normalize(key: string): string {
  const snake = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_');
  const named = /^_*$/.test(snake) ? '_field' : snake;
  return (/^[0-9]/.test(named) ? `_${named}` : named).slice(0, 63);
}

/**
 * A strict ISO 8601 instant (`2026-01-02T03:04:05.678Z`, or with an offset such as `+05:30`)
 * whose every field is in range, so both databases accept it: a string that looks like one but
 * is not (`2024-02-30T…`) stays a string instead of failing the write. Read character by
 * character, as it runs for every value of every timestamp column.
 */
export function isInstant(text: string): boolean {
  const n = text.length;
  if (n < 20 || n > 32 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return false;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  let i = 19;
  if (text.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < n && digits(text, i, 1) >= 0) i++;
    if (i === start || i - start > 6) return false;
  }
  const zone = text.charCodeAt(i);
  const offsetOk = zone === 90 ? i === n - 1 : (zone === 43 || zone === 45) && i === n - 6 && text.charCodeAt(i + 3) === 58 && inRange(digits(text, i + 1, 2), 0, 14) && inRange(digits(text, i + 4, 2), 0, 59);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return offsetOk && year >= 1 && inRange(month, 1, 12) && inRange(day, 1, days) && inRange(digits(text, 11, 2), 0, 23) && inRange(digits(text, 14, 2), 0, 59) && inRange(digits(text, 17, 2), 0, 59);
}

/** The number the `count` characters at `at` spell, or -1 when one is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    value = value * 10 + d;
  }
  return value;
}

function inRange(value: number, low: number, high: number): boolean {
  return value >= low && value <= high;
}

/** The type a value asks for; undefined for null and undefined, which fit any column. */
export function inferType(value: unknown): ColumnType | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string') return isInstant(value) ? 'timestamp' : 'string';
  return 'json';
}

/** The narrowest type both fit. Commutative and associative, so the order records come in does not matter. */
export function widen(a: ColumnType | undefined, b: ColumnType | undefined): ColumnType | undefined {
  if (a === undefined || a === b) return b;
  if (b === undefined) return a;
  if (a === 'json' || b === 'json') return 'json';
  if ((a === 'integer' && b === 'number') || (a === 'number' && b === 'integer')) return 'number';
  return 'string';
}

/** A column as the table has it: its type and the field of each record it is derived from. */
export interface ExistingColumn {
  type: ColumnType;
  /** Keys from the record's top level down; kept with the column (a comment) so a name stays with its field. */
  path: readonly string[];
}

/** A column's field as its comment keeps it (JSON), so the claim outlives the batch that made it. */
export function pathText(path: readonly string[]): string {
  return JSON.stringify(path);
}

/** The field a comment names; a column without one (not made by us) is taken to hold the field of its own name. */
export function pathFromText(text: unknown, name: string): string[] {
  try {
    const path: unknown = typeof text === 'string' ? JSON.parse(text) : undefined;
    if (Array.isArray(path) && path.length > 0 && path.every((k) => typeof k === 'string')) return path as string[];
  } catch {
    // not ours: fall through
  }
  return [name];
}

export interface PlannedColumn extends ExistingColumn {
  name: string;
  key: boolean;
  /** Some record of this batch has a value for it; the others are written as NULL without extracting. */
  present: boolean;
}

export interface PlannedChange extends SchemaChange {
  path: readonly string[];
}

export interface ColumnPlan {
  /** Every column of the table after this batch: the key columns, then the others in the order they came. */
  columns: PlannedColumn[];
  /** Columns to add (`from` undefined) or to change (`from` set), in order. */
  changes: PlannedChange[];
  warnings: string[];
  /** Records this batch cannot write: without a value for every key column (or not an object) in a keyed table. */
  skipped: number;
  /**
   * In a keyed table, whether two written records may share a key (compared as the key columns'
   * text). False lets a backend append the batch instead of collapsing it first; a backend still
   * meets any key the table already holds, so this is a hint that can only be conservative.
   */
  repeatedKeys: boolean;
}

/**
 * What a batch's records say about a table's shape, gathered record by record as pages arrive
 * (`StagedRecords`), so planning a write walks the fields it met rather than every record again:
 * for each field at the top level and under `columnsAt`, the narrowest type all its values fit, in
 * the order the fields first had a value; which records cannot be written; whether two share a key.
 * Records without a value for every key column say nothing about the table.
 */
export class RecordsProfile {
  /** The widened type of each top-level field with a value, in the order they first had one. */
  readonly top = new Map<string, ColumnType>();
  /** The same for the fields of the `columnsAt` object. */
  readonly nested = new Map<string, ColumnType>();
  records = 0;
  /** Records that are not JSON objects. */
  notObjects = 0;
  /** Objects without a value for every key column. */
  keyless = 0;
  /** See `ColumnPlan.repeatedKeys`. */
  repeatedKeys = false;
  private readonly keyPaths: string[][];
  private readonly at: string[] | undefined;
  /** The columnsAt object itself is no column: its fields are, and the whole of it is in _raw already. */
  private readonly skipTop: string | undefined;
  private readonly keysSeen = new Set<string>();

  constructor(table: StreamTable) {
    this.keyPaths = table.primaryKey.map((p) => p.split('.'));
    this.at = table.columnsAt?.split('.');
    this.skipTop = this.at?.length === 1 ? this.at[0] : undefined;
  }

  static of(table: StreamTable, records: readonly unknown[]): RecordsProfile {
    const profile = new RecordsProfile(table);
    for (const record of records) profile.observe(record);
    return profile;
  }

  /** Records the batch cannot write: in a keyed table, those without every key (or not objects). */
  get skipped(): number {
    return this.keyless + (this.keyPaths.length > 0 ? this.notObjects : 0);
  }

  observe(record: unknown): void {
    this.records += 1;
    if (!isObject(record)) {
      this.notObjects += 1;
      return;
    }
    const { keyPaths } = this;
    if (keyPaths.length > 0) {
      for (const path of keyPaths) {
        if (valueAt(record, path) == null) {
          this.keyless += 1;
          return;
        }
      }
      if (!this.repeatedKeys) {
        const key = keyText(record, keyPaths);
        this.repeatedKeys = this.keysSeen.has(key);
        this.keysSeen.add(key);
      }
    }
    observeFields(this.top, record, this.skipTop);
    if (this.at) {
      const fields = valueAt(record, this.at);
      if (isObject(fields)) observeFields(this.nested, fields, undefined);
    }
  }
}

/**
 * Widens each field's type by its value. This loop runs for every field of every record, so a
 * field already at string or json needs no more looking at its scalar values.
 */
function observeFields(types: Map<string, ColumnType>, fields: Record<string, unknown>, skip: string | undefined): void {
  for (const key in fields) {
    const value = fields[key];
    if (value === null || value === undefined || key === skip || !Object.hasOwn(fields, key)) continue;
    const type = types.get(key);
    if (type === 'json' || (type === 'string' && typeof value !== 'object')) continue;
    const widened = widen(type, inferType(value))!;
    if (widened !== type) types.set(key, widened);
  }
}

/**
 * The table's shape after a batch, against the table as it is (`existing`, by column name). A
 * field claims its column name with its first value (nulls say nothing of a type, so they claim
 * nothing): the claim is kept with the column, so another field whose name normalizes the same
 * stays in `_raw` with a warning, in this batch and every later one. A top-level field wins a
 * name from a field under `columnsAt`, even one that claimed it in an earlier batch: the column
 * then moves to the top-level field, re-derived from `_raw`. Key columns are always text, since
 * ids change type between sources, and never widen.
 */
export function planColumns(table: StreamTable, records: readonly unknown[] | RecordsProfile, existing: ReadonlyMap<string, ExistingColumn>): ColumnPlan {
  const profile = records instanceof RecordsProfile ? records : RecordsProfile.of(table, records);
  const claims = new Map<string, Claim>();
  table.primaryKey.forEach((p) => claims.set(columnName(p), { path: p.split('.'), type: 'string', key: true, present: true }));
  const at = table.columnsAt?.split('.');
  for (const [name, column] of existing) {
    // A column whose field this batch cannot see (columnsAt changed since) is extracted anyway rather than emptied.
    const seen = column.path.length === 1 || (at !== undefined && column.path.length === at.length + 1 && at.every((k, i) => column.path[i] === k));
    if (!claims.has(name) && !ownColumns.has(name)) claims.set(name, { path: column.path, type: column.type, key: false, present: !seen });
  }
  const warnings = new Set<string>();
  const top = new FieldClaims([], claims, warnings);
  for (const [key, type] of profile.top) top.claim(key, type);
  // Nested fields after every top-level one, so a top-level field wins a name in any batch order.
  if (at) {
    const nested = new FieldClaims(at, claims, warnings);
    for (const [key, type] of profile.nested) nested.claim(key, type);
  }
  const { skipped } = profile;
  if (table.primaryKey.length > 0 && skipped > 0) warnings.add(`${skipped} record(s) without a value for the key (${table.primaryKey.join(', ')}) were not written.`);
  if (table.primaryKey.length === 0 && profile.notObjects > 0) warnings.add(`${profile.notObjects} record(s) that are not JSON objects were kept in _raw only.`);

  const columns: PlannedColumn[] = [];
  const changes: PlannedChange[] = [];
  for (const [name, claim] of claims) {
    const before = existing.get(name);
    if (!before) changes.push({ column: name, to: claim.type, path: claim.path });
    else if (before.type !== claim.type || !samePath(before.path, claim.path)) changes.push({ column: name, from: before.type, to: claim.type, path: claim.path });
    columns.push({ name, path: claim.path, type: claim.type, key: claim.key, present: claim.present });
  }
  return { columns, changes, warnings: [...warnings], skipped, repeatedKeys: profile.repeatedKeys };
}

/** A record's key as the key columns hold it: strings as they are, anything else as its JSON. */
function keyText(record: Record<string, unknown>, keyPaths: readonly (readonly string[])[]): string {
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  return keyPaths.length === 1 ? text(valueAt(record, keyPaths[0]!)) : JSON.stringify(keyPaths.map((path) => text(valueAt(record, path))));
}

interface Claim {
  path: readonly string[];
  type: ColumnType;
  key: boolean;
  present: boolean;
}

/** Settles the column each field of one level (the top, or `columnsAt`) claims, one field at a time, in the order they came. */
class FieldClaims {
  private readonly nested: boolean;

  constructor(
    private readonly prefix: readonly string[],
    private readonly claims: Map<string, Claim>,
    private readonly warnings: Set<string>,
  ) {
    this.nested = prefix.length > 0;
  }

  /** `type`: what every value the batch has for the field fits. */
  claim(key: string, type: ColumnType): void {
    const name = columnName(key);
    const claim = this.claims.get(name);
    if (claim && this.owns(claim, key)) {
      claim.present = true;
      if (!claim.key) claim.type = widen(claim.type, type)!;
    } else if (!claim && !ownColumns.has(name)) {
      this.claims.set(name, { path: [...this.prefix, key], type, key: false, present: true });
    } else if (claim && !this.nested && !claim.key && claim.path.length > 1) {
      // A top-level field takes the name back from a nested one; earlier rows had no value here, or it would be theirs.
      this.warnings.add(`Column ${name} now holds the field "${key}" instead of "${claim.path.join('.')}", which is kept in _raw.`);
      Object.assign(claim, { path: [key], type, present: true });
    } else {
      const holder = claim ? `column ${name} holds "${claim.path.join('.')}"` : `${name} is one of Tributary's own columns`;
      this.warnings.add(`Field "${[...this.prefix, key].join('.')}" is kept in _raw only: ${holder}.`);
    }
  }

  private owns(claim: Claim, key: string): boolean {
    const { path } = claim;
    if (path.length !== this.prefix.length + 1 || path[this.prefix.length] !== key) return false;
    return !this.nested || this.prefix.every((k, i) => path[i] === k);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(record: Record<string, unknown>, path: readonly string[]): unknown {
  let current: unknown = record;
  for (const key of path) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
