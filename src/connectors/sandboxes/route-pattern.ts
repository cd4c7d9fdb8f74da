/**
 * Matches a request path against a route pattern such as `/crm/v3/objects/:objectType/:id`.
 * Routes and faults share it, so a fault can be scoped with the same pattern its route uses.
 * Returns the decoded `:params`, or undefined when the path does not match.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const wanted = pattern.split('/');
  const given = path.split('/');
  if (wanted.length !== given.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of wanted.entries()) {
    const segment = given[i] ?? '';
    if (!part.startsWith(':')) {
      if (part !== segment) return undefined;
      continue;
    }
    if (segment === '') return undefined;
    try {
      params[part.slice(1)] = decodeURIComponent(segment);
    } catch {
      // A malformed escape (`%zz`) cannot name any record: treat it as no match, hence a 404.
      return undefined;
    }
  }
  return params;
}
