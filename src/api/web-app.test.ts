import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webAppRoutes } from './web-app.js';

/** The hub serving a built web app: hashed assets cached for a year, pages revalidated, the API's 404s kept. */
describe('the web app', () => {
  let dir: string;
  const app = Fastify();
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-web-'));
    await fs.mkdir(path.join(dir, 'assets'));
    await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Tributary</title><div id="root"></div>');
    await fs.writeFile(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    await fs.writeFile(path.join(dir, 'assets', 'index-abc123.js.gz'), gzipSync('console.log(1)'));
    app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: { code: 'not_found', message: `No route ${request.url}` } }));
    await webAppRoutes(app, dir);
  });
  afterAll(async () => {
    await app.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('serves a hashed asset for a year and the page at / and any app path, revalidated', async () => {
    const asset = await app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of ['/', '/integrations', '/connections/1b2c?oauth=connected']) {
      const page = await app.inject({ url });
      expect([url, page.statusCode, page.headers['cache-control']]).toEqual([url, 200, 'no-cache']);
      expect(page.body).toContain('<div id="root">');
    }
  });

  it('sends the compressed copy of an asset to a browser that accepts it, and a build made later at once', async () => {
    const gz = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect([gz.statusCode, gz.headers['content-encoding']]).toEqual([200, 'gzip']);
    expect(gunzipSync(gz.rawPayload).toString()).toBe('console.log(1)');
    await fs.writeFile(path.join(dir, 'assets', 'later-def456.js'), 'console.log(2)');
    expect((await app.inject({ url: '/assets/later-def456.js' })).body).toBe('console.log(2)');
  });

  it('keeps the 404 of a path the server owns, and of an asset that is not there', async () => {
    for (const url of ['/api/v1/nope', '/docs/nope', '/health/x', '/assets/missing.js']) {
      const res = await app.inject({ url });
      expect([url, res.statusCode]).toEqual([url, 404]);
    }
  });

  it('says how to build the app until it is built, then serves it', async () => {
    const later = path.join(dir, 'later');
    const bare = Fastify();
    await webAppRoutes(bare, later);
    expect((await bare.inject({ url: '/integrations' })).body).toContain('npm run build:web');
    await fs.mkdir(later);
    await fs.writeFile(path.join(later, 'index.html'), '<div id="root"></div>');
    expect((await bare.inject({ url: '/integrations' })).body).toContain('<div id="root">');
    await bare.close();
  });
});
