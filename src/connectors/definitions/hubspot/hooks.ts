import { TributaryError } from '../../../domain/errors.js';
import type { ConnectionContext, ConnectorHooks, DiscoveredColumn, Discovery, FirstRequest, FirstRequestContext } from '../../runtime/hooks.js';
import type { HttpRequest } from '../../runtime/http.js';
import type { PaginatorConfig } from '../../runtime/paginators/index.js';

/**
 * Where HubSpot does not fit the declarative form:
 * - Its list endpoint sends only a few default properties unless `properties=a,b` names them, so
 *   `discover` reads each object's property definitions (GET /crm/v3/properties/{objectType},
 *   https://developers.hubspot.com/docs/api/crm/properties) and every read names what it found.
 * - The list endpoint cannot filter on modification time; an incremental read goes through the
 *   search endpoint instead (POST /crm/v3/objects/{objectType}/search,
 *   https://developers.hubspot.com/docs/api/crm/search), its filter and cursor in a JSON body.
 *
 * Two limits of the search read that a first-request hook cannot lift: HubSpot answers 400 past
 * the 10,000th result of one search, so a read whose window holds more changes fails with
 * `bad_request` (the fix, re-querying from the last modification date seen, needs a hook on
 * later pages too); and search allows only a few requests per second per account, fewer than the
 * connector's 100 per 10 s, so a long search read meets 429s, which the requester waits out.
 */
const crmObjects = ['contacts', 'companies', 'deals'] as const;
export type CrmObject = (typeof crmObjects)[number];

/** Contacts kept their pre-`hs_` name for it. */
const lastModifiedProperty: Record<CrmObject, string> = {
  contacts: 'lastmodifieddate',
  companies: 'hs_lastmodifieddate',
  deals: 'hs_lastmodifieddate',
};

/** What HubSpot sends when a request names no properties ("default returned properties" in the search docs). */
const defaultProperties: Record<CrmObject, readonly string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
};

/** HubSpot's property `type` → our column type; `enumeration`, `string`, `phone_number` and the rest are text. */
const columnTypes: Record<string, DiscoveredColumn['type']> = {
  number: 'number',
  bool: 'boolean',
  date: 'date',
  datetime: 'timestamp',
  json: 'json',
};

const searchPageSize = 100;

const searchPagination: PaginatorConfig = { style: 'cursor', next: 'paging.next.after', sendAs: 'after', in: 'body' };

/**
 * Per object, the columns a read will carry: the defaults HubSpot sends anyway and every custom
 * property. HubSpot's other properties (hundreds per object) are left out so the list request's
 * `properties` parameter stays short.
 */
async function discover(context: ConnectionContext): Promise<Discovery> {
  const found = await Promise.all(
    crmObjects.map(async (object) => {
      const response = await context.send({ path: `/crm/v3/properties/${object}` });
      const columns: Record<string, DiscoveredColumn> = {};
      for (const property of propertyDefinitions(object, response.body)) {
        const custom = property.hubspotDefined !== true;
        if (!custom && !defaultProperties[object].includes(property.name)) continue;
        columns[property.name] = {
          type: columnTypes[property.type.toLowerCase()] ?? 'string',
          ...(property.label ? { label: property.label } : {}),
          ...(custom ? { custom: true } : {}),
        };
      }
      return [object, { columns, columnsAt: 'properties' }] as const;
    }),
  );
  return { streams: Object.fromEntries(found) };
}

interface PropertyDefinition {
  name: string;
  type: string;
  label?: string;
  hubspotDefined?: boolean;
}

function propertyDefinitions(object: CrmObject, body: unknown): PropertyDefinition[] {
  const results = (body as { results?: unknown } | null)?.results;
  const valid =
    Array.isArray(results) &&
    results.every((p: Partial<Record<keyof PropertyDefinition, unknown>> | null) => typeof p?.name === 'string' && typeof p.type === 'string');
  if (!valid) {
    throw new TributaryError('invalid_response', `HubSpot GET /crm/v3/properties/${object}: the answer has no list of properties with names and types.`, {
      details: { path: 'results' },
    });
  }
  return results as PropertyDefinition[];
}

/** Names the discovered properties on a full read; turns an incremental read into a search from `since`. */
function firstRequestOf(object: CrmObject) {
  return (request: HttpRequest, { since, discovery }: FirstRequestContext): FirstRequest => {
    const columns = discovery?.streams[object]?.columns;
    const properties = columns ? Object.keys(columns) : undefined;
    if (since === undefined) {
      return { request: properties ? { ...request, query: { ...request.query, properties: properties.join(',') } } : request };
    }
    return { request: searchRequest(object, request, since, properties ?? defaultProperties[object]), paginate: searchPagination, ordered: true };
  };
}

function searchRequest(object: CrmObject, list: HttpRequest, since: string, properties: readonly string[]): HttpRequest {
  const sinceMs = Date.parse(since);
  if (Number.isNaN(sinceMs)) {
    throw new TributaryError('internal', `HubSpot ${object}: the saved cursor is not a timestamp; reset the stream's state to read it in full.`);
  }
  const propertyName = lastModifiedProperty[object];
  return {
    ...list,
    method: 'POST',
    url: `${list.url}/search`,
    query: {},
    body: {
      // Milliseconds since the epoch: the form HubSpot documents for every timestamp it accepts.
      filterGroups: [{ filters: [{ propertyName, operator: 'GTE', value: String(sinceMs) }] }],
      // Oldest first: the cursor rises page by page, and ties at `since` are re-read, never skipped.
      sorts: [{ propertyName, direction: 'ASCENDING' }],
      properties,
      limit: searchPageSize,
    },
  };
}

export const hubspotHooks: ConnectorHooks = {
  discover,
  firstRequest: {
    contacts: firstRequestOf('contacts'),
    companies: firstRequestOf('companies'),
    deals: firstRequestOf('deals'),
  },
};
