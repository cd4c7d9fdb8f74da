const truthy = new Set(['true', '1', 'on', 'yes']);
const falsy = new Set(['false', '0', 'off', 'no']);

/** Parses an operator flag: `true, 1, on, yes` and `false, 0, off, no`, in any case. */
export function parseFlag(raw: string): boolean | undefined {
  const value = raw.trim().toLowerCase();
  if (truthy.has(value)) return true;
  if (falsy.has(value)) return false;
  return undefined;
}
