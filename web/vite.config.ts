import fs from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The web app: built into web/dist, which the hub serves at `/` (src/api/web-app.ts). In
 * development (`npm run dev:web`) Vite serves it on :5173 and passes the API through to a hub
 * on :3000 (`npm start`), so the browser sees one origin either way and the session cookie works.
 */
const hub = process.env.TRIBUTARY_URL ?? 'http://localhost:3000';

/** Writes `<file>.gz` and `<file>.br` beside each built text file, so the hub sends them compressed without compressing per request. */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'tributary-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async writeBundle(_options, bundle) {
      for (const name of Object.keys(bundle).filter((n) => /\.(js|css|html|svg)$/.test(n))) {
        const file = path.join(outDir, name);
        const content = await fs.readFile(file);
        await fs.writeFile(`${file}.gz`, gzipSync(content, { level: 9 }));
        await fs.writeFile(`${file}.br`, brotliCompressSync(content));
      }
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // The charts (recharts) come only with the lazily loaded pages that draw them.
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { '/api': { target: hub, changeOrigin: false }, '/health': hub, '/docs': hub, '/openapi.json': hub } },
});
