import fs from 'node:fs/promises';
import { builtInConnectors } from '../connectors/catalog.js';
import { parseCustomDefinition } from '../connectors/runtime/define.js';

/** `tributary connectors`: the built-in catalog, one line each. */
export function listConnectors(): void {
  for (const d of builtInConnectors) {
    console.log(`${d.id.padEnd(16)} ${d.name.padEnd(20)} ${d.kind.padEnd(9)} ${d.category.padEnd(12)} auth: ${d.auth.map((a) => a.method).join(', ')}; streams: ${Object.keys(d.streams).join(', ') || 'the tables found when a connection is tested'}`);
  }
}

/** `tributary connectors validate <file>`: checks a custom connector definition (as `POST /api/v1/connectors` would) and prints each error with its path. */
export async function validateDefinitionFile(file: string): Promise<number> {
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not valid JSON';
    console.error(`${file}: ${reason}`);
    return 1;
  }
  const parsed = parseCustomDefinition(json, builtInConnectors.map((d) => d.id));
  if (parsed.ok) {
    const streams = Object.keys(parsed.definition.streams);
    console.log(`${file}: valid connector "${parsed.definition.id}" with ${streams.length} stream(s): ${streams.join(', ')}`);
    return 0;
  }
  for (const issue of parsed.issues) console.error(`${file}: ${issue.field}: ${issue.message}`);
  console.error(`${parsed.issues.length} error(s)`);
  return 1;
}
