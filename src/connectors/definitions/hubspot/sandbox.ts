import { httpSandbox, pagedCollection, seededRecords, type SandboxSpec, type SeededRandom } from '../../sandboxes/index.js';

/**
 * A HubSpot sandbox following the CRM v3 shapes: `GET /crm/v3/objects/{object}?limit&after`
 * answers `{ results: [{ id, properties, createdAt, updatedAt, archived }], paging?: { next: { after, link } } }`,
 * at most 100 per page; a bad token answers 401 with HubSpot's error body
 * (https://developers.hubspot.com/docs/api/crm/contacts, https://developers.hubspot.com/docs/api/error-handling).
 */
export const hubspotSandboxToken = 'pat-sandbox-0000-0000-hubspot';

export interface HubspotSandboxSize {
  contacts?: number;
  companies?: number;
  deals?: number;
}

const firstNames = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Linus', 'Radia', 'Ken'];
const stages = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'closedwon', 'closedlost'];

export function hubspotSandbox(size: HubspotSandboxSize = {}): SandboxSpec {
  const timestamps = (random: SeededRandom) => {
    const createdAt = random.isoTimestamp('2023-01-01T00:00:00Z', '2024-06-01T00:00:00Z');
    const updatedAt = random.isoTimestamp(createdAt, '2025-01-01T00:00:00Z');
    return { createdAt, updatedAt };
  };
  const object = (name: string, count: number, properties: (random: SeededRandom) => Record<string, string>) =>
    pagedCollection(
      seededRecords(`hubspot/${name}`, count, (random, i) => {
        const { createdAt, updatedAt } = timestamps(random);
        const id = String(1001 + i);
        return { id, properties: { hs_object_id: id, createdate: createdAt, lastmodifieddate: updatedAt, ...properties(random) }, createdAt, updatedAt, archived: false };
      }),
      { style: 'cursor', cursorParam: 'after', sizeParam: 'limit', defaultSize: 10, maxSize: 100 },
    );
  const collections = {
    contacts: object('contacts', size.contacts ?? 250, (random) => {
      const firstname = random.pick(firstNames);
      return { firstname, lastname: random.word(), email: random.email() };
    }),
    companies: object('companies', size.companies ?? 50, (random) => ({ name: `${random.word()} Inc`, domain: `${random.word()}.example.com` })),
    deals: object('deals', size.deals ?? 100, (random) => ({ dealname: `${random.word()} deal`, amount: String(random.int(500, 50_000)), dealstage: random.pick(stages) })),
  };
  return {
    auth: (headers) => headers.authorization === `Bearer ${hubspotSandboxToken}`,
    errorBody: (status, message) => ({
      status: 'error',
      message: status === 401 ? 'Authentication credentials not found. This API supports OAuth 2.0 authentication.' : message,
      correlationId: '00000000-0000-4000-8000-000000000000',
      category: status === 401 ? 'INVALID_AUTHENTICATION' : status === 404 ? 'OBJECT_NOT_FOUND' : 'VALIDATION_ERROR',
    }),
    routes: Object.entries(collections).map(([name, collection]) => ({
      method: 'GET' as const,
      path: `/crm/v3/objects/${name}`,
      handle(ctx) {
        const page = collection.page(ctx);
        const next = page.nextCursor && {
          paging: { next: { after: page.nextCursor, link: `${ctx.url.origin}${ctx.url.pathname}?after=${page.nextCursor}` } },
        };
        return { body: { results: page.records, ...next } };
      },
    })),
  };
}

/** The sandbox the hub starts for a HubSpot connection in sandbox mode. */
export const hubspotSandboxProvider = httpSandbox(() => hubspotSandbox(), { token: hubspotSandboxToken });
