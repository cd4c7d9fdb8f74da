import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The web app (web/, built into web/dist by `npm run build:web`, which `npm install` runs), served
 * by the hub at `/`. Built files carry a content hash in their names, so they are cached for a
 * year; `index.html` is revalidated on every load, so a new build is picked up at once. The build
 * writes each file gzip- and brotli-compressed beside it, sent to browsers that accept them. Any
 * other page path (`/integrations`, `/connections/<id>`) answers `index.html` and the app routes
 * it; paths of the API, the docs, the probes and the built assets keep their own 404.
 */
export const defaultWebDir = path.resolve(import.meta.dirname, '../../web/dist');

const serverPaths = /^\/(api|internal|docs|openapi\.json|health|ready|metrics|assets)(\/|$|\?)/;

export async function webAppRoutes(app: FastifyInstance, webDir: string): Promise<void> {
  // Files are looked up per request, so a build made while the hub runs is served at once.
  await app.register(fastifyStatic, { root: webDir, serve: false, preCompressed: true, cacheControl: false });
  app.get('/assets/*', (request, reply) => reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(`assets/${(request.params as { '*': string })['*']}`));
  const page = (request: FastifyRequest, reply: FastifyReply) => {
    if (serverPaths.test(request.url)) return reply.callNotFound();
    reply.header('cache-control', 'no-cache');
    return fs.existsSync(path.join(webDir, 'index.html')) ? reply.sendFile('index.html') : reply.type('text/html').send(notBuiltPage);
  };
  app.get('/', page);
  app.get('/*', page);
}

const notBuiltPage = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Tributary</title>
<main style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The web app is not built yet</h1>
<p>Run <code>npm run build:web</code> (or <code>npm install</code>, which builds it), then reload this page.
The API is up: see <a href="/docs">/docs</a>.</p></main></html>`;
