import {
  oauthHttpSandbox,
  pagedCollection,
  SandboxError,
  seededRecords,
  type LazyRecords,
  type RouteContext,
  type SandboxReply,
  type SandboxSpec,
  type SeededRandom,
} from '../../sandboxes/index.js';

/**
 * A HubSpot sandbox following the CRM v3 shapes:
 * - `GET /crm/v3/objects/{object}?limit&after&properties` answers `{ results: [{ id, properties,
 *   createdAt, updatedAt, archived }], paging?: { next: { after, link } } }`, at most 100 a page;
 *   `properties` holds HubSpot's defaults unless the request names others (unknown names ignored).
 * - `POST /crm/v3/objects/{object}/search` with a GTE filter on the last-modified property answers
 *   `{ total, results, paging? }` oldest first, `after` in the body, and 400 past 10,000 results.
 * - `GET /crm/v3/properties/{object}` answers `{ results: [{ name, label, type, fieldType,
 *   groupName, hubspotDefined?, options? }] }`, custom properties without `hubspotDefined`.
 * A bad token answers 401 with HubSpot's error body. With `hubspotSandboxProvider` it signs in with
 * OAuth too (`/oauth/…`), its access tokens accepted beside the fixed one. Docs: https://developers.hubspot.com/docs/api/crm/contacts,
 * https://developers.hubspot.com/docs/api/crm/search, https://developers.hubspot.com/docs/api/crm/properties,
 * https://developers.hubspot.com/docs/api/error-handling.
 */
export const hubspotSandboxToken = 'pat-sandbox-0000-0000-hubspot';

export interface HubspotSandboxSize {
  contacts?: number;
  companies?: number;
  deals?: number;
}

type PropertyValues = (random: SeededRandom) => Record<string, string>;

interface CrmObjectShape {
  lastModified: 'lastmodifieddate' | 'hs_lastmodifieddate';
  /** Sent when a request names no properties, beside the id and the two dates. */
  defaults: PropertyValues;
  /** The account's other properties, HubSpot's and custom, sent only when named. */
  named: PropertyValues;
  definitions: PropertyDefinition[];
}

interface PropertyDefinition {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  hubspotDefined?: true;
  options?: Array<{ label: string; value: string; displayOrder: number; hidden: boolean }>;
}

const hubspotProperty = (name: string, label: string, type: string, fieldType: string, groupName: string): PropertyDefinition => ({
  name,
  label,
  type,
  fieldType,
  groupName,
  hubspotDefined: true,
});

const customProperty = (name: string, label: string, type: string, fieldType: string, options: readonly string[] = []): PropertyDefinition => ({
  name,
  label,
  type,
  fieldType,
  groupName: 'sandbox_custom',
  ...(options.length > 0 ? { options: options.map((value, i) => ({ label: value, value, displayOrder: i, hidden: false })) } : {}),
});

/** The id and the two dates every object has, under the object's own group name. */
const identityProperties = (group: string, lastModified: string) => [
  hubspotProperty('hs_object_id', 'Record ID', 'number', 'number', group),
  hubspotProperty('createdate', 'Create date', 'datetime', 'date', group),
  hubspotProperty(lastModified, 'Last modified date', 'datetime', 'date', group),
];

const firstNames = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Linus', 'Radia', 'Ken'];
const stages = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'closedwon', 'closedlost'];
const tiers = ['bronze', 'silver', 'gold'];
const regions = ['amer', 'emea', 'apac'];
const industries = ['COMPUTER_SOFTWARE', 'UTILITIES', 'ENVIRONMENTAL_SERVICES'];

const shapes: Record<'contacts' | 'companies' | 'deals', CrmObjectShape> = {
  contacts: {
    lastModified: 'lastmodifieddate',
    defaults: (random) => ({ firstname: random.pick(firstNames), lastname: random.word(), email: random.email() }),
    named: (random) => ({
      phone: `+1 555 01${random.int(10, 99)}`,
      favorite_river: random.word(),
      customer_tier: random.pick(tiers),
      newsletter_opt_in: String(random.int(0, 1) === 1),
    }),
    definitions: [
      ...identityProperties('contactinformation', 'lastmodifieddate'),
      hubspotProperty('firstname', 'First name', 'string', 'text', 'contactinformation'),
      hubspotProperty('lastname', 'Last name', 'string', 'text', 'contactinformation'),
      hubspotProperty('email', 'Email', 'string', 'text', 'contactinformation'),
      hubspotProperty('phone', 'Phone number', 'string', 'phonenumber', 'contactinformation'),
      customProperty('favorite_river', 'Favorite river', 'string', 'text'),
      customProperty('customer_tier', 'Customer tier', 'enumeration', 'select', tiers),
      customProperty('newsletter_opt_in', 'Newsletter opt-in', 'bool', 'booleancheckbox'),
    ],
  },
  companies: {
    lastModified: 'hs_lastmodifieddate',
    defaults: (random) => ({ name: `${random.word()} Inc`, domain: `${random.word()}.example.com` }),
    named: (random) => ({ industry: random.pick(industries), region_code: random.pick(regions) }),
    definitions: [
      ...identityProperties('companyinformation', 'hs_lastmodifieddate'),
      hubspotProperty('name', 'Name', 'string', 'text', 'companyinformation'),
      hubspotProperty('domain', 'Company domain name', 'string', 'text', 'companyinformation'),
      hubspotProperty('industry', 'Industry', 'enumeration', 'select', 'companyinformation'),
      customProperty('region_code', 'Region code', 'enumeration', 'select', regions),
    ],
  },
  deals: {
    lastModified: 'hs_lastmodifieddate',
    defaults: (random) => ({
      dealname: `${random.word()} deal`,
      amount: String(random.int(500, 50_000)),
      dealstage: random.pick(stages),
      pipeline: 'default',
      closedate: random.isoTimestamp('2025-01-01T00:00:00Z', '2025-12-31T00:00:00Z'),
    }),
    named: (random) => ({ renewal_date: random.isoTimestamp('2026-01-01T00:00:00Z', '2026-12-31T00:00:00Z').slice(0, 10) }),
    definitions: [
      ...identityProperties('dealinformation', 'hs_lastmodifieddate'),
      hubspotProperty('dealname', 'Deal name', 'string', 'text', 'dealinformation'),
      hubspotProperty('amount', 'Amount', 'number', 'number', 'dealinformation'),
      hubspotProperty('dealstage', 'Deal stage', 'enumeration', 'radio', 'dealinformation'),
      hubspotProperty('pipeline', 'Pipeline', 'enumeration', 'select', 'dealinformation'),
      hubspotProperty('closedate', 'Close date', 'datetime', 'date', 'dealinformation'),
      customProperty('renewal_date', 'Renewal date', 'date', 'date'),
    ],
  },
};

/** HubSpot's documented cap: asking for a page past this many results of one search is a 400. */
const searchResultCap = 10_000;

interface CrmRecord {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: false;
}

/** `isValidToken`: which bearer tokens pass; only `hubspotSandboxToken` when left out. */
export function hubspotSandbox(size: HubspotSandboxSize = {}, isValidToken: (token: string) => boolean = (token) => token === hubspotSandboxToken): SandboxSpec {
  const counts = { contacts: size.contacts ?? 250, companies: size.companies ?? 50, deals: size.deals ?? 100 };
  const objects = Object.fromEntries(Object.entries(shapes).map(([name, shape]) => [name, crmObject(name, counts[name as keyof typeof counts], shape)]));
  const objectOf = (ctx: RouteContext) => {
    const object = objects[ctx.params.objectType ?? ''];
    if (!object) throw new SandboxError(404, `Unable to infer object type from: ${ctx.params.objectType}`);
    return object;
  };
  return {
    auth: (headers) => {
      const token = /^Bearer (\S+)$/.exec(headers.authorization ?? '')?.[1];
      return token !== undefined && isValidToken(token);
    },
    errorBody: (status, message) => ({
      status: 'error',
      message: status === 401 ? 'Authentication credentials not found. This API supports OAuth 2.0 authentication.' : message,
      correlationId: '00000000-0000-4000-8000-000000000000',
      category: status === 401 ? 'INVALID_AUTHENTICATION' : status === 404 ? 'OBJECT_NOT_FOUND' : 'VALIDATION_ERROR',
    }),
    routes: [
      { method: 'GET', path: '/crm/v3/objects/:objectType', handle: (ctx) => objectOf(ctx).list(ctx) },
      { method: 'POST', path: '/crm/v3/objects/:objectType/search', handle: (ctx) => objectOf(ctx).search(ctx) },
      { method: 'GET', path: '/crm/v3/properties/:objectType', handle: (ctx) => ({ body: { results: objectOf(ctx).shape.definitions } }) },
    ],
  };
}

function crmObject(name: string, count: number, shape: CrmObjectShape) {
  const seed = `hubspot/${name}`;
  const timestamps = (random: SeededRandom) => {
    const createdAt = random.isoTimestamp('2023-01-01T00:00:00Z', '2024-06-01T00:00:00Z');
    const updatedAt = random.isoTimestamp(createdAt, '2025-01-01T00:00:00Z');
    return { createdAt, updatedAt };
  };
  /** Records with the defaults, or with the named properties HubSpot knows plus the id and dates. */
  const records = (named: ReadonlySet<string> | undefined): LazyRecords<CrmRecord> =>
    seededRecords(seed, count, (random, i) => {
      const { createdAt, updatedAt } = timestamps(random);
      const id = String(1001 + i);
      const properties: Record<string, string> = { hs_object_id: id, createdate: createdAt, [shape.lastModified]: updatedAt };
      const defaults = shape.defaults(random);
      if (!named) return { id, properties: Object.assign(properties, defaults), createdAt, updatedAt, archived: false };
      // Drawn after the defaults, so naming properties changes no other value of the record.
      const known = { ...defaults, ...shape.named(random) };
      for (const key of named) if (Object.hasOwn(known, key)) properties[key] = known[key]!;
      return { id, properties, createdAt, updatedAt, archived: false };
    });
  const listedByDefault = records(undefined);
  const namedIn = (list: string | undefined) => (list === undefined ? undefined : new Set(list.split(',')));

  // Built on the first search only: the list route, which benchmarks read, never pays for it.
  let modifiedOrder: { index: Uint32Array; modifiedMs: Float64Array } | undefined;
  const byModification = () => {
    if (modifiedOrder) return modifiedOrder;
    // Same seed, same first draws: each record's dates without building the record.
    const dates = seededRecords(seed, count, (random) => Date.parse(timestamps(random).updatedAt));
    const modified = Array.from({ length: count }, (_, i) => dates.recordAt(i));
    const index = Uint32Array.from(modified.keys()).sort((a, b) => modified[a]! - modified[b]! || a - b);
    modifiedOrder = { index, modifiedMs: Float64Array.from(index, (i) => modified[i]!) };
    return modifiedOrder;
  };

  return {
    shape,
    list(ctx: RouteContext): SandboxReply {
      const named = namedIn(ctx.query.properties);
      const page = pagedCollection(named ? records(named) : listedByDefault, listPaging).page(ctx);
      const next = page.nextCursor && {
        paging: { next: { after: page.nextCursor, link: `${ctx.url.origin}${ctx.url.pathname}?after=${page.nextCursor}` } },
      };
      return { body: { results: page.records, ...next } };
    },
    search(ctx: RouteContext): SandboxReply {
      const request = searchRequestOf(ctx.body, shape.lastModified);
      const { index, modifiedMs } = byModification();
      const first = request.sinceMs === undefined ? 0 : firstAtOrAfter(modifiedMs, request.sinceMs);
      const source = records(request.properties ? new Set(request.properties) : undefined);
      const matches: LazyRecords<CrmRecord> = { count: count - first, recordAt: (k) => source.recordAt(index[first + k]!) };
      const query: Record<string, string> = { limit: String(request.limit), ...(request.after !== undefined ? { after: request.after } : {}) };
      const page = pagedCollection(matches, searchPaging).page({ url: ctx.url, query, repeatCursor: ctx.repeatCursor });
      if (page.offset >= searchResultCap) throw new SandboxError(400, `Search results are limited to ${searchResultCap}; narrow the filter.`);
      return { body: { total: page.total, results: page.records, ...(page.nextCursor && { paging: { next: { after: page.nextCursor } } }) } };
    },
  };
}

const listPaging = { style: 'cursor', cursorParam: 'after', sizeParam: 'limit', defaultSize: 10, maxSize: 100 } as const;
const searchPaging = { style: 'cursor', cursorParam: 'after', sizeParam: 'limit', defaultSize: 10, maxSize: 200 } as const;

interface SearchRequest {
  sinceMs: number | undefined;
  properties: string[] | undefined;
  limit: number;
  after: string | undefined;
}

/** The body the sandbox understands: no filter, or one GTE filter on the last-modified property. */
function searchRequestOf(body: unknown, lastModified: string): SearchRequest {
  const { filterGroups = [], properties, limit = 10, after } = (body ?? {}) as {
    filterGroups?: Array<{ filters?: Array<{ propertyName?: unknown; operator?: unknown; value?: unknown }> }>;
    properties?: unknown;
    limit?: unknown;
    after?: unknown;
  };
  if (!Array.isArray(filterGroups)) throw new SandboxError(400, '"filterGroups" must be a list.');
  const filters = filterGroups.flatMap((group) => group.filters ?? []);
  if (filters.length > 1) throw new SandboxError(400, 'The sandbox searches with at most one filter.');
  const filter = filters[0];
  if (filter && (filter.propertyName !== lastModified || filter.operator !== 'GTE' || typeof filter.value !== 'string')) {
    throw new SandboxError(400, `The sandbox filters only with GTE on "${lastModified}".`);
  }
  // Milliseconds since the epoch or ISO 8601, as HubSpot accepts for datetime properties.
  const sinceMs = filter === undefined ? undefined : /^\d+$/.test(String(filter.value)) ? Number(filter.value) : Date.parse(String(filter.value));
  if (sinceMs !== undefined && Number.isNaN(sinceMs)) throw new SandboxError(400, 'The filter value is not a timestamp.');
  if (properties !== undefined && !(Array.isArray(properties) && properties.every((p) => typeof p === 'string'))) {
    throw new SandboxError(400, '"properties" must be a list of property names.');
  }
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw new SandboxError(400, '"limit" must be a whole number of at least 1.');
  if (after !== undefined && typeof after !== 'string') throw new SandboxError(400, '"after" must be a string.');
  return { sinceMs, properties: properties as string[] | undefined, limit, after };
}

/** Binary search: the position of the first date at or after `ms` in ascending dates. */
function firstAtOrAfter(sorted: Float64Array, ms: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < ms) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The sandbox the hub starts for a HubSpot connection in sandbox mode. Its fixed token serves
 * both auth methods (as `token` and as `accessToken`) until someone signs in; the sign-in's tokens
 * pass beside it.
 */
export const hubspotSandboxProvider = oauthHttpSandbox(
  'HubSpot',
  (oauth) => hubspotSandbox({}, (token) => token === hubspotSandboxToken || oauth.isValidToken(token)),
  { token: hubspotSandboxToken, accessToken: hubspotSandboxToken },
);
