/** A custom REST connector for Acme's API, as a workspace would post it. */
export const acmeDefinition = {
  id: 'acme_crm',
  name: 'Acme CRM',
  category: 'crm',
  description: 'Contacts from Acme.',
  docs: 'https://acme.test/docs',
  baseUrl: 'https://api.acme.test',
  auth: [{ method: 'api_key', name: 'X-Api-Key' }],
  streams: {
    contacts: { request: { path: '/contacts' }, records: 'results', primaryKey: 'id', paginate: { style: 'cursor', next: 'next', sendAs: 'after' } },
  },
};
