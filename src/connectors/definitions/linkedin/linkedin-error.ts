import { SandboxError, type SandboxReply } from '../../sandboxes/index.js';

/**
 * One of LinkedIn's API errors, answered as `{ status, serviceErrorCode, code, message }`
 * (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling);
 * `serviceErrorCode` is left out where LinkedIn sends none.
 */
export class LinkedInError extends SandboxError {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly serviceErrorCode?: number,
  ) {
    super(status, message);
  }

  reply(): SandboxReply {
    return { status: this.status, body: { status: this.status, ...(this.serviceErrorCode !== undefined && { serviceErrorCode: this.serviceErrorCode }), code: this.code, message: this.message } };
  }
}

export const emptyToken = () => new LinkedInError(401, 'EMPTY_ACCESS_TOKEN', 'Empty oauth2 access token', 65604);
export const invalidToken = () => new LinkedInError(401, 'INVALID_ACCESS_TOKEN', 'Invalid access token', 65600);
export const versionMissing = () => new LinkedInError(400, 'VERSION_MISSING', 'A version must be present. Please specify a version by adding the LinkedIn-Version header.');
export const versionInactive = (version: string) => new LinkedInError(426, 'NONEXISTENT_VERSION', `Requested version ${version} is not active`);
export const accessDenied = (what: string) => new LinkedInError(403, 'ACCESS_DENIED', `Not enough permissions to access: ${what}`, 100);
export const invalidParam = (message: string) => new LinkedInError(400, 'PARAM_INVALID', message);
export const notFound = (what: string) => new LinkedInError(404, 'NOT_FOUND', `Not found: ${what}`);

/** The body for what the kit answers itself (faults, unknown paths), by status. */
export function linkedinErrorBody(status: number, message: string): unknown {
  const error =
    status === 429
      ? new LinkedInError(429, 'TOO_MANY_REQUESTS', 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.', 101)
      : status >= 500
        ? new LinkedInError(status, 'INTERNAL_SERVER_ERROR', 'Internal Server Error')
        : status === 404
          ? notFound(message)
          : new LinkedInError(status, 'BAD_REQUEST', message);
  return error.reply().body;
}
