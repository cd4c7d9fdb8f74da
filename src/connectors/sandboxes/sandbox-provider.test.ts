import { describe, expect, it } from 'vitest';
import { hubspotSandboxProvider } from '../definitions/hubspot/sandbox.js';
import { SandboxHost } from './sandbox-provider.js';

describe('SandboxHost', () => {
  it('starts a real loopback sandbox on first use, shares it, and stops it at close', async () => {
    const host = new SandboxHost({ hubspot: hubspotSandboxProvider });
    const [first, second] = await Promise.all([host.get('hubspot'), host.get('hubspot')]);
    expect(first).toBe(second);
    expect(first.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await fetch(`${first.baseUrl}/crm/v3/objects/contacts?limit=1`, { headers: { authorization: `Bearer ${first.secrets.token}` } });
    expect(answer.status).toBe(200);
    await host.close();
    await expect(fetch(`${first.baseUrl}/crm/v3/objects/contacts`)).rejects.toThrow();
  });

  it('tries a sandbox again after it failed to start', async () => {
    let attempts = 0;
    const host = new SandboxHost({
      flaky: {
        async start() {
          attempts += 1;
          if (attempts === 1) throw new Error('port taken');
          return { secrets: {}, config: {}, close: async () => undefined };
        },
      },
    });
    await expect(host.get('flaky')).rejects.toThrow('port taken');
    await expect(host.get('flaky')).resolves.toMatchObject({ secrets: {} });
    expect(host.has('flaky')).toBe(true);
    expect(host.has('other')).toBe(false);
    await host.close();
  });
});
