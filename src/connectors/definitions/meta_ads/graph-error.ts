import { SandboxError, SeededRandom, type SandboxReply } from '../../sandboxes/index.js';

/**
 * One of Graph's errors, answered as `{ error: { message, type, code, error_subcode?, is_transient?,
 * fbtrace_id } }` (https://developers.facebook.com/docs/graph-api/guides/error-handling). Graph
 * answers 400 for nearly every error a client causes, expired tokens and rate limits included, so
 * a client must read `code`, not the status. An OAuthException also comes with a `WWW-Authenticate:
 * OAuth "Facebook Platform" "invalid_token" "<message>"` challenge (`invalid_request` unless the
 * token is refused), as Graph sends it.
 */
export class GraphError extends SandboxError {
  constructor(
    readonly code: number,
    message: string,
    readonly details: { type?: 'OAuthException' | 'GraphMethodException'; subcode?: number; transient?: boolean; status?: number } = {},
  ) {
    super(details.status ?? 400, message);
  }

  reply(): SandboxReply {
    const { type = 'OAuthException', subcode, transient } = this.details;
    // Graph names an OAuthException in a challenge too; `invalid_token` when the token itself is refused.
    const challenge = `OAuth "Facebook Platform" "${this.code === 190 ? 'invalid_token' : 'invalid_request'}" "${this.message}"`;
    return {
      status: this.status,
      ...(type === 'OAuthException' && { headers: { 'www-authenticate': challenge } }),
      body: {
        error: {
          message: this.message,
          type,
          code: this.code,
          ...(subcode !== undefined && { error_subcode: subcode }),
          ...(transient !== undefined && { is_transient: transient }),
          fbtrace_id: traceId(this.message),
        },
      },
    };
  }
}

export const missingToken = () => new GraphError(104, 'An access token is required to request this resource.');
export const invalidToken = () => new GraphError(190, 'Invalid OAuth access token - Cannot parse access token');
export const invalidParameter = (message: string) => new GraphError(100, `(#100) ${message}`);
export const unknownPath = (edge: string) => new GraphError(2500, `Unknown path components: /${edge}`);

/** Graph tells an id it cannot load (subcode 33) from a name that is no id at all (803). */
export function unknownObject(id: string): GraphError {
  if (/^(act_)?\d+$/.test(id)) {
    return new GraphError(
      100,
      `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      { type: 'GraphMethodException', subcode: 33 },
    );
  }
  return new GraphError(803, `(#803) Some of the aliases you requested do not exist: ${id}`);
}

/**
 * The body for what the kit answers itself (a status fault, an unknown path). The kit keeps its
 * status, so a 429 fault arrives as 429 with Graph's rate-limit body, where Graph itself sends 400.
 */
export function graphErrorBody(status: number, message: string): unknown {
  const error =
    status === 429
      ? new GraphError(17, '(#17) User request limit reached', { subcode: 2446079, transient: true, status })
      : status === 500
        ? new GraphError(1, 'An unknown error occurred', { transient: true, status })
        : status > 500
          ? new GraphError(2, 'Service temporarily unavailable', { transient: true, status })
          : new GraphError(100, message, { status });
  return error.reply().body;
}

const traceAlphabet = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'];

// Shaped like Graph's, and the same for the same message so that answers stay comparable.
function traceId(message: string): string {
  const random = new SeededRandom(`meta_ads/fbtrace/${message}`);
  return Array.from({ length: 23 }, () => random.pick(traceAlphabet)).join('');
}
