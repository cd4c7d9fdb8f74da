/**
 * Rest.li protocol 2.0's encoding of values in a URL, which LinkedIn's REST API reads
 * (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/protocol-version): an
 * object is `(key:value,…)`, a list `List(a,b)`, and text has its reserved characters `(`, `)`,
 * `,`, `:` and `'` percent-encoded, so a URN travels as `urn%3Ali%3Aorganization%3A123`; the empty
 * text is `''`. The structure's own parentheses, commas and colons stay as they are: a query string
 * is written here whole, since URLSearchParams would encode them too and LinkedIn would then read
 * `timeIntervals` as one string.
 */
export type RestliValue = string | number | boolean | readonly RestliValue[] | { readonly [key: string]: RestliValue };

/** What a Rest.li value decodes to: every primitive comes back as text. */
export type DecodedRestli = string | DecodedRestli[] | { [key: string]: DecodedRestli };

export function encodeRestli(value: RestliValue): string {
  if (Array.isArray(value)) return `List(${value.map((item: RestliValue) => encodeRestli(item)).join(',')})`;
  if (typeof value === 'object') {
    const fields = Object.entries(value as Record<string, RestliValue>).map(([key, item]) => `${encodeText(key)}:${encodeRestli(item)}`);
    return `(${fields.join(',')})`;
  }
  return typeof value === 'string' ? encodeText(value) : String(value);
}

/** `path?name=value&…`, each value Rest.li-encoded. */
export function restliPath(path: string, params: Record<string, RestliValue>): string {
  return `${path}?${Object.entries(params)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeRestli(value)}`)
    .join('&')}`;
}

/** A query string's parameters (`?a=1&b=(c:d)`), each decoded; a malformed one throws a RangeError naming it. */
export function restliQuery(search: string): Record<string, DecodedRestli> {
  const params: Record<string, DecodedRestli> = {};
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = safeDecode(at < 0 ? pair : pair.slice(0, at));
    try {
      params[name] = decodeRestli(at < 0 ? '' : pair.slice(at + 1));
    } catch (error) {
      throw new RangeError(`${name}: ${(error as Error).message}`);
    }
  }
  return params;
}

/** Reads one encoded value, strictly: reserved characters inside text must be percent-encoded. */
export function decodeRestli(text: string): DecodedRestli {
  const reader = { text, at: 0 };
  const value = readValue(reader);
  if (reader.at < text.length) throw new RangeError(`unexpected "${text[reader.at]}" at character ${reader.at + 1}`);
  return value;
}

interface Reader {
  text: string;
  at: number;
}

function readValue(reader: Reader): DecodedRestli {
  if (reader.text.startsWith('List(', reader.at)) {
    reader.at += 'List('.length;
    const items: DecodedRestli[] = [];
    if (reader.text[reader.at] !== ')') {
      do items.push(readValue(reader));
      while (take(reader, ','));
    }
    expect(reader, ')');
    return items;
  }
  if (reader.text[reader.at] === '(') {
    reader.at += 1;
    const fields: Record<string, DecodedRestli> = {};
    if (reader.text[reader.at] !== ')') {
      do {
        const key = readText(reader);
        expect(reader, ':');
        fields[key] = readValue(reader);
      } while (take(reader, ','));
    }
    expect(reader, ')');
    return fields;
  }
  return readText(reader);
}

function readText(reader: Reader): string {
  const start = reader.at;
  while (reader.at < reader.text.length && !'(),:'.includes(reader.text[reader.at]!)) reader.at += 1;
  const raw = reader.text.slice(start, reader.at);
  if (raw === "''") return '';
  if (raw.includes("'")) throw new RangeError(`"'" must be encoded as %27 in "${raw}"`);
  return safeDecode(raw);
}

function take(reader: Reader, char: string): boolean {
  if (reader.text[reader.at] !== char) return false;
  reader.at += 1;
  return true;
}

function expect(reader: Reader, char: string): void {
  if (!take(reader, char)) throw new RangeError(`expected "${char}" at character ${reader.at + 1}`);
}

function encodeText(text: string): string {
  if (text === '') return "''";
  return encodeURIComponent(text).replace(/[()']/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new RangeError(`"${text}" is not percent-encoded text`);
  }
}
