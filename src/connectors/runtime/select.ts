import { z } from 'zod';
import { TributaryError } from '../../domain/errors.js';

/**
 * Dotted paths into vendor JSON (`results`, `paging.next.after`, `data.0.id`), the one place
 * they are checked, read and written. Definitions hold paths as plain data rather than
 * templates, so they are checked when a definition loads, not halfway through a run.
 */
const segment = /^[A-Za-z0-9_$-]+$/;

/** True for one or more segments of letters, digits, `_`, `-` or `$` joined by dots. */
export function isValidPath(path: string): boolean {
  return path.split('.').every((part) => segment.test(part));
}

/** The zod form of `isValidPath`, for definition schemas. */
export const dottedPathSchema = z
  .string()
  .refine(isValidPath, 'must be a dotted path of letters, digits, "_", "-" or "$", like "data.items"');

/** The value at `path`, or undefined when any step is missing. An empty path is the value itself. */
export function readPath(value: unknown, path: string): unknown {
  if (path === '') return value;
  let node = value;
  for (const part of path.split('.')) {
    node = child(node, part);
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * `readPath` for one path read many times (a cursor field, once per record): the path is split
 * once, not on every read.
 */
export function pathReader(path: string): (value: unknown) => unknown {
  if (path === '') return (value) => value;
  const parts = path.split('.');
  if (parts.length === 1) {
    const [part = ''] = parts;
    return (value) => child(value, part);
  }
  return (value) => {
    let node = value;
    for (const part of parts) {
      node = child(node, part);
      if (node === undefined) return undefined;
    }
    return node;
  };
}

/** A copy of `value` with `path` set, for cursors sent inside a JSON body (`variables.after`). */
export function writePath(value: Record<string, unknown>, path: string, leaf: unknown): Record<string, unknown> {
  const [head = '', ...rest] = path.split('.');
  if (rest.length === 0) return { ...value, [head]: leaf };
  const inner = value[head];
  return { ...value, [head]: writePath(isRecord(inner) ? inner : {}, rest.join('.'), leaf) };
}

/** The records of one page: the array at `path`, or the body itself when `path` is empty. */
export function selectRecords(body: unknown, path: string): unknown[] {
  const where = path === '' ? 'the top level' : `"${path}"`;
  const records = readPath(body, path);
  if (records === undefined) {
    throw new TributaryError('invalid_response', `The page has nothing at ${where}, where the definition expects its records.`, {
      details: { path },
    });
  }
  if (!Array.isArray(records)) {
    throw new TributaryError('invalid_response', `The page has no list of records at ${where}.`, { details: { path } });
  }
  return records;
}

// Own properties only: a path like `constructor` must not reach into Object.prototype, and an
// array answers numeric indexes only (not `length`).
function child(node: unknown, part: string): unknown {
  if (Array.isArray(node)) return /^\d+$/.test(part) ? node[Number(part)] : undefined;
  if (isRecord(node) && Object.hasOwn(node, part)) return node[part];
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
