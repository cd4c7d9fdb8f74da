/**
 * The one catalog of error codes. Every error that leaves Tributary (an API answer, a run's
 * error, an event) carries one of these codes, a message that is safe to show, and the HTTP
 * status it maps to. Messages are written here or built from known fields: they never quote a
 * request body, a config or a vendor's response, so no secret can slip into them.
 */
export type ErrorFault = 'config' | 'vendor' | 'system' | 'caller';

export interface ErrorSpec {
  /** HTTP status the API answers with. */
  status: number;
  retryable: boolean;
  /** Who must act: the caller (bad request), the user's config, the vendor, or us. */
  fault: ErrorFault;
  /** Default message: what happened and what to do about it. */
  hint: string;
}

export const errorCatalog = {
  validation_failed: { status: 400, retryable: false, fault: 'caller', hint: 'The request is not valid; see details for the fields to fix.' },
  invalid_config: { status: 400, retryable: false, fault: 'config', hint: 'A configuration value is not valid.' },
  unauthenticated: { status: 401, retryable: false, fault: 'caller', hint: 'Sign in, or send an API key as "Authorization: Bearer <key>".' },
  invalid_credentials: { status: 401, retryable: false, fault: 'caller', hint: 'The email or password is wrong.' },
  forbidden: { status: 403, retryable: false, fault: 'caller', hint: 'Your role in this workspace does not allow this.' },
  not_found: { status: 404, retryable: false, fault: 'caller', hint: 'Nothing with that id exists in this workspace.' },
  conflict: { status: 409, retryable: false, fault: 'caller', hint: 'The request conflicts with the current state.' },
  already_running: { status: 409, retryable: false, fault: 'caller', hint: 'A run of this connection is already queued or running; wait for it or cancel it.' },
  accounts_required: { status: 409, retryable: false, fault: 'config', hint: 'Choose which accounts this connection reads first: GET /connections/:id/accounts lists them, PUT stores the choice.' },
  live_disabled: { status: 409, retryable: false, fault: 'config', hint: 'Live mode is switched off for this connector on this hub; use sandbox mode or ask the operator.' },
  email_taken: { status: 409, retryable: false, fault: 'caller', hint: 'An account with this email already exists; sign in instead.' },
  signup_disabled: { status: 403, retryable: false, fault: 'config', hint: 'Sign-up is turned off on this hub; ask an admin to invite you.' },
  payload_too_large: { status: 413, retryable: false, fault: 'caller', hint: 'The request body is too large.' },
  unsupported_media_type: { status: 415, retryable: false, fault: 'caller', hint: 'Send the body as application/json.' },
  key_unavailable: { status: 500, retryable: false, fault: 'config', hint: 'A secret was encrypted with a key that is not in the keyring.' },
  decryption_failed: { status: 500, retryable: false, fault: 'system', hint: 'A stored secret failed its integrity check.' },
  // Errors of outside systems, classified once by the connector runtime (connectors/runtime/classify.ts).
  oauth_not_configured: { status: 409, retryable: false, fault: 'config', hint: 'This hub has no OAuth app for the provider; the operator sets TRIBUTARY_OAUTH_<PROVIDER>_CLIENT_ID and _CLIENT_SECRET.' },
  oauth_state_invalid: { status: 400, retryable: false, fault: 'caller', hint: 'This sign-in link is invalid, expired or already used; start connecting again.' },
  oauth_denied: { status: 400, retryable: false, fault: 'caller', hint: 'The provider did not grant access; start connecting again and allow access.' },
  oauth_exchange_failed: { status: 502, retryable: false, fault: 'vendor', hint: 'The provider refused to exchange the authorization for tokens; start connecting again.' },
  reauth_required: { status: 409, retryable: false, fault: 'config', hint: 'The provider no longer accepts this connection’s authorization (revoked or expired); reconnect the account.' },
  auth_failed: { status: 502, retryable: false, fault: 'config', hint: 'The vendor refused the credentials; reconnect the account or enter a new key.' },
  vendor_forbidden: { status: 502, retryable: false, fault: 'config', hint: 'The vendor says the credentials may not do this; check the scopes or permissions of the key.' },
  vendor_not_found: { status: 502, retryable: false, fault: 'config', hint: 'The vendor has nothing at that address; check the account, region or ids in the configuration.' },
  bad_request: { status: 502, retryable: false, fault: 'system', hint: 'The vendor rejected our request as malformed.' },
  invalid_response: { status: 502, retryable: false, fault: 'vendor', hint: 'A page from the vendor did not have the documented shape.' },
  rate_limited: { status: 502, retryable: true, fault: 'vendor', hint: 'The vendor asked us to slow down; we wait and retry.' },
  vendor_unavailable: { status: 502, retryable: true, fault: 'vendor', hint: 'The vendor failed with a server error; we retry with backoff.' },
  timeout: { status: 504, retryable: true, fault: 'vendor', hint: 'The vendor did not answer in time; we retry with backoff.' },
  network: { status: 502, retryable: true, fault: 'vendor', hint: 'The vendor could not be reached (connection refused or reset); we retry with backoff.' },
  worker_lost: { status: 500, retryable: true, fault: 'system', hint: 'The worker running this sync stopped answering (killed or cut off); the run is retried.' },
  shutting_down: { status: 503, retryable: true, fault: 'system', hint: 'The worker is shutting down; the run is handed back to the queue.' },
  warehouse_failed: { status: 500, retryable: true, fault: 'system', hint: 'Writing to the warehouse failed; the cursor stays at the last committed batch and the run is retried.' },
  not_ready: { status: 503, retryable: true, fault: 'system', hint: 'The hub is starting or a store is unreachable.' },
  internal: { status: 500, retryable: false, fault: 'system', hint: 'Something went wrong on our side; quote the request id when reporting it.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalog;

export const errorCodes = Object.keys(errorCatalog) as ErrorCode[];

/** The error every layer throws. `cause` is for logs only and never sent out. */
export class TributaryError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message ?? errorCatalog[code].hint, { cause: options.cause });
    this.name = 'TributaryError';
    this.code = code;
    this.details = options.details;
  }

  get status(): number {
    return errorCatalog[this.code].status;
  }

  get retryable(): boolean {
    return errorCatalog[this.code].retryable;
  }
}

export function isTributaryError(value: unknown): value is TributaryError {
  return value instanceof TributaryError;
}

/** A 400 that names the field to fix, as the API's request validation does: `field: message`. */
export function invalidField(field: string, message: string): TributaryError {
  return new TributaryError('validation_failed', `${field}: ${message}`, { details: { fields: [{ field, message }] } });
}

export function notFound(what: string): TributaryError {
  return new TributaryError('not_found', `No ${what} with that id exists in this workspace.`);
}
