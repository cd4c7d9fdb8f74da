import { defineConnector } from '../../runtime/define.js';
import { hubspotHooks, type CrmObject } from './hooks.js';

/**
 * HubSpot CRM, read through the v3 objects API with a private app token or a HubSpot sign-in
 * (OAuth 2.0: 30-minute access tokens, a refresh token that lasts until the app is uninstalled).
 * Full reads list the objects; incremental reads search them by last modification (`hooks.ts`),
 * and both ask for the account's custom properties found when the connection was tested.
 * Docs: https://developers.hubspot.com/docs/api/crm/contacts (list objects, `after` paging),
 * https://developers.hubspot.com/docs/api/oauth-quickstart-guide (endpoints, scopes) and
 * https://developers.hubspot.com/docs/api/usage-details (100 requests per 10 s for private apps,
 * 110 for OAuth apps). HubSpot revokes a refresh token with `DELETE /oauth/v1/refresh-tokens/:token`,
 * not RFC 7009, so a disconnect deletes the tokens here and the app stays installed in HubSpot.
 */
const crmObject = (object: CrmObject, description: string) => ({
  description,
  request: { path: `/crm/v3/objects/${object}`, query: { limit: 100, archived: false } },
  records: 'results',
  primaryKey: 'id',
  paginate: { style: 'cursor' as const, next: 'paging.next.after', sendAs: 'after' },
  // Top-level on every object, whichever property name the object gives its last modification.
  incremental: { field: 'updatedAt', lookback: 'PT1H' },
});

export default defineConnector(
  {
    id: 'hubspot',
    name: 'HubSpot',
    kind: 'api',
    category: 'crm',
    description: 'Contacts, companies and deals from a HubSpot account.',
    docs: 'https://developers.hubspot.com/docs/api/crm/contacts',
    icon: 'icon.svg',
    baseUrl: 'https://api.hubapi.com',
    auth: [
      { method: 'bearer', label: 'Private app access token' },
      {
        method: 'oauth2',
        label: 'Sign in with HubSpot',
        provider: 'hubspot',
        authorizationUrl: 'https://app.hubspot.com/oauth/authorize',
        tokenUrl: 'https://api.hubapi.com/oauth/v1/token',
        scopes: ['crm.objects.contacts.read', 'crm.objects.companies.read', 'crm.objects.deals.read', 'crm.schemas.contacts.read'],
      },
    ],
    rateLimit: { requests: 100, perSeconds: 10 },
    testStream: 'contacts',
    streams: {
      contacts: crmObject('contacts', 'People in the CRM, with their properties.'),
      companies: crmObject('companies', 'Companies in the CRM.'),
      deals: crmObject('deals', 'Deals and their pipeline stages.'),
    },
  },
  hubspotHooks,
);
