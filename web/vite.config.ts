import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web app: built into web/dist, which the hub serves at `/` (src/api/web-app.ts). In
 * development (`npm run dev:web`) Vite serves it on :5173 and passes the API through to a hub
 * on :3000 (`npm start`), so the browser sees one origin either way and the session cookie works.
 */
const hub = process.env.TRIBUTARY_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/api': { target: hub, changeOrigin: false }, '/health': hub, '/docs': hub, '/openapi.json': hub } },
});
