import type { IncomingHttpHeaders } from 'node:http';
import type { FaultKind } from './faults.js';

/** One request a sandbox received, as a test may assert on it; secrets are masked. */
export interface SandboxRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased names, repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The fault the request met, if any. */
  fault?: FaultKind;
}

export const masked = '***';

// Names that carry credentials in headers or query strings across the vendors we fake.
const secretName = /auth|token|secret|password|passwd|cookie|session|signature|api[-_]?key|(^|[-_])key$/i;
// The scheme says which auth method a connector used, which tests want to see; the credential does not.
const scheme = /^(bearer|basic|token|digest|oauth)\s+/i;

/** The log entry for a request: logs end up in test output and bug reports, so secrets never enter them. */
export function logRequest(
  method: string,
  path: string,
  query: Record<string, string>,
  headers: IncomingHttpHeaders,
  fault: FaultKind | undefined,
): SandboxRequest {
  const entry: SandboxRequest = {
    method,
    path,
    query: Object.fromEntries(Object.entries(query).map(([name, value]) => [name, maskSecret(name, value)])),
    headers: Object.fromEntries(
      Object.entries(headers).flatMap(([name, value]) =>
        value === undefined ? [] : [[name, maskSecret(name, Array.isArray(value) ? value.join(', ') : value)]],
      ),
    ),
  };
  if (fault !== undefined) entry.fault = fault;
  return entry;
}

export function maskSecret(name: string, value: string): string {
  if (!secretName.test(name)) return value;
  const prefix = scheme.exec(value)?.[0] ?? '';
  return `${prefix}${masked}`;
}
