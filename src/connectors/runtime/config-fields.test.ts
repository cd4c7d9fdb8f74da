import { describe, expect, it } from 'vitest';
import { checkConfig, configJsonSchema } from './config-fields.js';
import { defineConnector } from './define.js';

const desk = defineConnector({
  id: 'desk',
  name: 'Desk',
  kind: 'api',
  category: 'support',
  description: 'A support desk.',
  docs: 'https://desk.test/docs',
  baseUrl: 'https://desk.test',
  config: {
    baseUrl: { title: 'Desk URL', format: 'uri', default: 'https://desk.test', required: false },
    accountId: { type: 'integer', title: 'Account ID' },
    archived: { type: 'boolean', title: 'Include archived', required: false },
  },
  auth: [{ method: 'none' }],
  streams: { tickets: { request: { path: '/accounts/{accountId}/tickets' }, records: '', primaryKey: 'id' } },
});

describe('config fields', () => {
  it('publish a JSON Schema for the connect form, with defaults and what is required', () => {
    expect(configJsonSchema(desk)).toEqual({
      type: 'object',
      properties: {
        baseUrl: { type: 'string', title: 'Desk URL', default: 'https://desk.test', format: 'uri' },
        accountId: { type: 'integer', title: 'Account ID' },
        archived: { type: 'boolean', title: 'Include archived' },
      },
      required: ['accountId'],
      additionalProperties: false,
    });
  });

  it('fill in defaults and accept a form’s "42" as the number 42', () => {
    expect(checkConfig(desk, { accountId: '42' }, { requireAll: true })).toEqual({ baseUrl: 'https://desk.test', accountId: 42 });
  });

  it('hold a value to its pattern, with the message the definition gives, and publish the pattern', () => {
    const shop = defineConnector({
      ...desk,
      config: { shop: { title: 'Shop domain', pattern: { regex: '^[a-z0-9-]+\\.desk\\.test$', message: 'must be a desk.test domain' } } },
      streams: { tickets: { request: { path: '/tickets' }, records: '', primaryKey: 'id' } },
    });
    expect(configJsonSchema(shop).properties).toEqual({ shop: { type: 'string', title: 'Shop domain', pattern: '^[a-z0-9-]+\\.desk\\.test$' } });
    expect(checkConfig(shop, { shop: 'acme.desk.test' }, { requireAll: true })).toEqual({ shop: 'acme.desk.test' });
    expect(() => checkConfig(shop, { shop: 'evil.test/acme.desk.test' }, { requireAll: true })).toThrow('config.shop: must be a desk.test domain');
  });

  it('let a sandbox supply required values', () => {
    expect(checkConfig(desk, {}, { requireAll: false })).toEqual({ baseUrl: 'https://desk.test' });
  });

  it.each([
    [{}, 'config.accountId'],
    [{ accountId: 'seven' }, 'config.accountId'],
    [{ accountId: 7, baseUrl: 'ftp://desk.test' }, 'config.baseUrl'],
    [{ accountId: 7, archived: 'sometimes' }, 'config.archived'],
    [{ accountId: 7, region: 'eu' }, 'config.region'],
  ])('refuse %o with 400 naming the field', (values, field) => {
    try {
      checkConfig(desk, values, { requireAll: true });
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe('validation_failed');
      expect((error as Error).message.startsWith(`${field}: `)).toBe(true);
    }
  });
});
