import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The web app (web/, built into web/dist by `npm run build:web`, which `npm install` runs), served
 * by the hub at `/`. Built files carry a content hash in their names, so they are cached for a
 * year; `index.html` is revalidated on every load, so a new build is picked up at once. Any other
 * page path (`/integrations`, `/connections/<id>`) answers `index.html` and the app routes it;
 * paths of the API, the docs, the probes and the built assets keep their own 404.
 */
export const defaultWebDir = path.resolve(import.meta.dirname, '../../web/dist');

const serverPaths = /^\/(api|internal|docs|openapi\.json|health|ready|metrics|assets)(\/|$|\?)/;

export async function webAppRoutes(app: FastifyInstance, webDir: string): Promise<void> {
  const index = path.join(webDir, 'index.html');
  if (!fs.existsSync(index)) {
    app.get('/', (_request, reply) => reply.type('text/html').send(notBuiltPage));
    return;
  }
  await app.register(fastifyStatic, {
    root: webDir,
    wildcard: false,
    index: false,
    setHeaders: (reply, file) => reply.header('cache-control', path.basename(file) === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable'),
  });
  const page = (request: FastifyRequest, reply: FastifyReply) => {
    if (serverPaths.test(request.url)) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  };
  app.get('/', page);
  app.get('/*', page);
}

const notBuiltPage = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Tributary</title>
<main style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The web app is not built yet</h1>
<p>Run <code>npm run build:web</code> (or <code>npm install</code>, which builds it), then reload this page.
The API is up: see <a href="/docs">/docs</a>.</p></main></html>`;
