/**
 * Deterministic pseudo-randomness for sandbox data: the same seed gives the same records on every
 * machine and every run, so tests and demos can name exact values. mulberry32: 32 bits of state,
 * fast, and good enough for fake data (not for anything secret).
 */
export class SeededRandom {
  private state: number;
  private readonly origin: number;

  constructor(seed: string) {
    this.origin = hashString(seed);
    this.state = this.origin;
  }

  /**
   * An independent stream for `key` (a record index, a field name). It depends on the seed alone,
   * never on how much this stream has drawn, so record i reads the same whether or not any other
   * record was generated first.
   */
  fork(key: string | number): SeededRandom {
    return new SeededRandom(`${this.origin}/${key}`);
  }

  /** In [0, 1), like Math.random. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Cannot pick from an empty list.');
    return items[this.int(0, items.length - 1)] as T;
  }

  word(): string {
    return this.pick(words);
  }

  /** On the reserved example domains (RFC 2606), so a demo can never mail a real person. */
  email(): string {
    return `${this.word()}.${this.word()}${this.int(1, 999)}@${this.pick(domains)}`;
  }

  /** An ISO 8601 instant in [from, to), to the whole second as most vendors send them. */
  isoTimestamp(from: string | number, to: string | number): string {
    const start = typeof from === 'number' ? from : Date.parse(from);
    const end = typeof to === 'number' ? to : Date.parse(to);
    if (!(end > start)) throw new RangeError('isoTimestamp needs "from" before "to".');
    const ms = start + Math.floor(this.next() * (end - start));
    return new Date(Math.floor(ms / 1_000) * 1_000).toISOString();
  }
}

/** A collection read one record at a time, so a sandbox of a million records holds none of them. */
export interface LazyRecords<T> {
  readonly count: number;
  recordAt(index: number): T;
}

/** `count` records, record i built by `make` from its own forked stream: deterministic and lazy. */
export function seededRecords<T>(seed: string, count: number, make: (random: SeededRandom, index: number) => T): LazyRecords<T> {
  const root = new SeededRandom(seed);
  return {
    count,
    recordAt(index) {
      if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`No record ${index} in a collection of ${count}.`);
      return make(root.fork(index), index);
    },
  };
}

/** FNV-1a, then murmur3's finaliser so that seeds differing in one character give unrelated streams. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

const domains = ['example.com', 'example.org', 'example.net'] as const;

const words = [
  'alder', 'basin', 'brook', 'canyon', 'cedar', 'channel', 'cove', 'creek', 'current', 'delta', 'drift', 'eddy',
  'estuary', 'fen', 'fjord', 'ford', 'glade', 'harbor', 'heron', 'inlet', 'island', 'kestrel', 'lagoon', 'lake',
  'marsh', 'meadow', 'mill', 'moss', 'oxbow', 'pebble', 'pine', 'pool', 'rapids', 'reed', 'ridge', 'riffle',
  'river', 'shoal', 'slate', 'source', 'spring', 'stone', 'strait', 'stream', 'torrent', 'valley', 'willow', 'weir',
] as const;
