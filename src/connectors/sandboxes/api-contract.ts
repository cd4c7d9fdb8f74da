/**
 * What a contract test checks against a vendor's published API description (an OpenAPI document,
 * a Google discovery document): one request as the sandbox saw it, and one answer.
 */
export interface ContractRequest {
  method: string;
  /** The request path, as the server saw it (no query string). */
  path: string;
  query: Record<string, string>;
  /** Lower-cased names, as a sandbox's request log holds them; when given, credentials are checked. */
  headers?: Record<string, string>;
  body?: unknown;
}

export interface ContractResponse {
  method: string;
  path: string;
  status: number;
  body: unknown;
}
