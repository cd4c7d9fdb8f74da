import { describe, expect, it } from 'vitest';
import { acmeDefinition } from '../../../test/support/custom-connector.js';
import { defineConnector, parseDefinition } from './define.js';

const valid = {
  ...acmeDefinition,
  kind: 'custom',
  streams: { contacts: { ...acmeDefinition.streams.contacts, incremental: { field: 'updated_at', lookback: 'PT1H' } } },
};

describe('connector definitions', () => {
  it('accept a valid custom definition from JSON and fill in defaults', () => {
    const parsed = parseDefinition(JSON.parse(JSON.stringify(valid)));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.definition.streams.contacts!.request.method).toBe('GET');
    expect(parsed.definition.auth[0]).toMatchObject({ method: 'api_key', in: 'header', prefix: '' });
    expect(parsed.definition.actions).toEqual({});
  });

  it.each([
    [{ id: 'Acme CRM' }, 'id'],
    [{ kind: 'spreadsheet' }, 'kind'],
    [{ baseUrl: 'ftp://acme.test' }, 'baseUrl'],
    [{ auth: [] }, 'auth'],
    [{ auth: [{ method: 'api_key' }] }, 'auth.0.name'],
    [{ streams: {} }, 'streams'],
    [{ streams: { contacts: { ...valid.streams.contacts, records: 'results[0]' } } }, 'streams.contacts.records'],
    [{ streams: { contacts: { ...valid.streams.contacts, request: { path: 'contacts' } } } }, 'streams.contacts.request.path'],
    [{ streams: { contacts: { ...valid.streams.contacts, paginate: { style: 'offset', offsetParam: 'o', limitParam: 'l', limit: -1 } } } }, 'streams.contacts.paginate.limit'],
    [{ streams: { contacts: { ...valid.streams.contacts, incremental: { field: 'updated_at', lookback: 'an hour' } } } }, 'streams.contacts.incremental.lookback'],
    [{ streams: { contacts: { ...valid.streams.contacts, surprise: true } } }, 'streams.contacts'],
    [{ testStream: 'deals' }, 'testStream'],
    [{ streams: { contacts: { ...valid.streams.contacts, request: { path: '/accounts/{accountId}/contacts' } } } }, 'streams.contacts.request.path'],
    [{ streams: { contacts: { ...valid.streams.contacts, parent: { stream: 'contacts', bind: { id: 'id' } } } } }, 'streams.contacts.parent.stream'],
    [{ config: { 'account id': { title: 'Account' } } }, 'config.account id'],
    [{ baseUrl: undefined }, 'baseUrl'],
    [{ baseUrl: 'https://{tenant}.acme.test' }, 'baseUrl'],
    [{ auth: [{ method: 'oauth2', provider: 'acme', authorizationUrl: 'https://{tenant}.acme.test/authorize', tokenUrl: 'https://login.acme.test/token' }] }, 'auth.0.authorizationUrl'],
    [{ config: { shop: { title: 'Shop', pattern: { regex: '^(unclosed$', message: 'must be a shop' } } } }, 'config.shop.pattern.regex'],
  ])('name the exact field that is wrong: %o', (change, field) => {
    const parsed = parseDefinition({ ...valid, ...change });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues[0]!.field).toBe(field);
    expect(parsed.issues[0]!.message).toBeTruthy();
  });

  it('fill path placeholders from config fields and parent records, and check each one names something', () => {
    const parsed = parseDefinition({
      ...valid,
      config: { accountId: { type: 'integer', title: 'Account' } },
      streams: {
        conversations: { request: { path: '/accounts/{accountId}/conversations' }, records: 'data', primaryKey: 'id' },
        messages: {
          request: { path: '/accounts/{accountId}/conversations/{conversationId}/messages', query: { since: '{accountId}' } },
          parent: { stream: 'conversations', bind: { conversationId: 'id' } },
          records: 'payload',
          primaryKey: 'id',
        },
      },
    });
    expect(parsed.ok).toBe(true);
  });

  it('fill placeholders in the base URL and the OAuth endpoints from config fields', () => {
    const parsed = parseDefinition({
      ...valid,
      baseUrl: 'https://{shop}',
      config: { shop: { title: 'Shop domain', pattern: { regex: '^[a-z0-9-]+\\.acme\\.test$', message: 'must be an acme.test domain' } } },
      auth: [{ method: 'oauth2', provider: 'acme', authorizationUrl: 'https://{shop}/oauth/authorize', tokenUrl: 'https://{shop}/oauth/token' }],
    });
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
  });

  it('stop a built-in definition with a mistake when the catalog loads it', () => {
    expect(() => defineConnector({ ...valid, kind: 'api', docs: 'not a url' } as never)).toThrow('connector definition "acme_crm": docs: must be a URL');
  });
});
