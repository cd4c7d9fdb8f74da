import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTributary } from './support/process.js';

describe('tributary connectors', () => {
  let dir: string;
  const definition = {
    id: 'acme',
    name: 'Acme',
    kind: 'custom',
    category: 'crm',
    description: 'Contacts from Acme.',
    docs: 'https://acme.test/docs',
    baseUrl: 'https://api.acme.test',
    auth: [{ method: 'bearer' }],
    streams: { contacts: { request: { path: '/contacts' }, records: 'results', primaryKey: 'id', paginate: { style: 'next_url', next: 'next' } } },
  };
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-validate-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('lists the built-in catalog', async () => {
    const result = await runTributary(['connectors'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^hubspot\s+HubSpot\s+api\s+crm\s+auth: bearer, oauth2; streams: contacts, companies, deals$/m);
  });

  it('accepts a valid definition', async () => {
    const file = path.join(dir, 'good.json');
    await fs.writeFile(file, JSON.stringify(definition));
    const result = await runTributary(['connectors', 'validate', file], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('valid connector "acme" with 1 stream(s): contacts');
  });

  it('prints each error with its path and exits 1', async () => {
    const file = path.join(dir, 'bad.json');
    const bad = { ...definition, auth: [{ method: 'api_key' }], streams: { contacts: { ...definition.streams.contacts, request: { path: 'contacts' } } } };
    await fs.writeFile(file, JSON.stringify(bad));
    const result = await runTributary(['connectors', 'validate', file], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}: auth.0.name:`);
    expect(result.stderr).toContain(`${file}: streams.contacts.request.path: must start with "/"`);
    expect(result.stderr).toContain('2 error(s)');
  });

  it('says when the file is not JSON', async () => {
    const file = path.join(dir, 'broken.json');
    await fs.writeFile(file, '{ nope');
    const result = await runTributary(['connectors', 'validate', file], {});
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`${file}: not valid JSON`);
  });
});
