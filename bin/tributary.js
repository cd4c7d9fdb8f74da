#!/usr/bin/env node
// The `tributary` command. It runs the compiled build in dist/ (`npm run build:server`, which
// `npm install` runs) while that is newer than every file under src/, and otherwise the
// TypeScript sources through tsx's loader: an edited checkout never runs stale code.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';

// V8 lets the heap of a process this busy grow to four times what it holds before it collects:
// 40 MB of live data took 185 MB during a sync. Growing by a quarter keeps the hub's memory near
// what it uses, at a few more (incremental, millisecond) collections (bench:sync: no slower).
v8.setFlagsFromString('--heap-growing-percent=25');

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'dist', 'cli', 'main.js');

function buildIsCurrent() {
  let builtAt;
  try {
    builtAt = fs.statSync(built).mtimeMs;
  } catch {
    return false;
  }
  const src = path.join(root, 'src');
  for (const entry of fs.readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && !entry.name.endsWith('.test.ts') && fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs > builtAt) return false;
  }
  return true;
}

if (buildIsCurrent()) {
  await import(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
