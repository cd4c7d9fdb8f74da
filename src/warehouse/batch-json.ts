/**
 * Records travel to the warehouse as JSON lines: each record serialized once, one per line
 * (JSON.stringify never writes a raw line break, it escapes them), so a database splits a batch
 * by a plain string split and takes each line as a record's `_raw` as it is, where a JSON array
 * would have to be parsed whole and each element written out again. Neither database stores
 * every string JavaScript can hold: PostgreSQL refuses `\u0000` in jsonb and both refuse an
 * unpaired surrogate, and one such character would fail the whole batch. Both become U+FFFD,
 * in values and in field names alike (`storableKey` applies the same rule to the names SQL
 * paths are built from), so a typed column still finds its field in `_raw`.
 */

/** `\u0000` or a lone surrogate escape (JSON.stringify writes paired surrogates as they are), not itself escaped. */
const unstorableEscape = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g;

/** The records as JSON lines; a record JSON cannot hold (undefined, a function) is `null`, as in an array. */
export function recordLines(records: readonly unknown[]): string {
  const text = records.map((record) => JSON.stringify(record) ?? 'null').join('\n');
  // Most batches have no \u escape at all (JSON.stringify writes other characters as they are).
  return text.includes('\\u') ? text.replace(unstorableEscape, '$1\\ufffd') : text;
}

// eslint-disable-next-line no-control-regex -- NUL is one of the characters this finds
const unstorableCharacter = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A field name as `recordLines` leaves it in `_raw`. */
export function storableKey(key: string): string {
  return key.replace(unstorableCharacter, '\ufffd');
}
