import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { TributaryError } from '../../domain/errors.js';

/**
 * JWTs from an external identity provider (a host app's Supabase project, Auth0, Keycloak…),
 * accepted as sessions: HS256 with a shared secret, or any asymmetric algorithm with the
 * provider's JWKS. A verified token names a subject and usually an email.
 */
export interface ExternalIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
  name: string | undefined;
}

export type ExternalJwtVerifier = (token: string) => Promise<ExternalIdentity>;

export interface ExternalJwtConfig {
  secret: string | undefined;
  jwksUrl: string | undefined;
  issuer: string | undefined;
  audience: string | undefined;
}

const reasons: Record<string, string> = {
  ERR_JWT_EXPIRED: 'it has expired',
  ERR_JWT_CLAIM_VALIDATION_FAILED: 'a claim (issuer, audience or time) does not match',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'its signature does not match',
  ERR_JWKS_NO_MATCHING_KEY: 'no key of the provider matches it',
  ERR_JOSE_ALG_NOT_ALLOWED: 'its algorithm is not allowed',
};

export function createExternalJwtVerifier(config: ExternalJwtConfig): ExternalJwtVerifier | undefined {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  let defaultIssuer: string;
  if (config.secret) {
    key = new TextEncoder().encode(config.secret);
    algorithms = ['HS256'];
    defaultIssuer = 'external-hs256';
  } else if (config.jwksUrl) {
    key = createRemoteJWKSet(new URL(config.jwksUrl));
    algorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];
    defaultIssuer = config.jwksUrl;
  } else {
    return undefined;
  }
  return async (token) => {
    try {
      const options = { algorithms, issuer: config.issuer, audience: config.audience };
      const { payload } =
        typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
      if (!payload.sub) throw new TributaryError('unauthenticated', 'The token has no subject (sub) claim.');
      return {
        issuer: payload.iss ?? defaultIssuer,
        subject: payload.sub,
        // An email the provider says is unverified must not link the token to an existing account.
        email: typeof payload.email === 'string' && payload.email_verified !== false ? payload.email : undefined,
        name: typeof payload.name === 'string' ? payload.name : undefined,
      };
    } catch (error) {
      if (error instanceof TributaryError) throw error;
      const code = error instanceof joseErrors.JOSEError ? error.code : '';
      const reason = reasons[code] ?? 'it is not a valid token from the configured identity provider';
      throw new TributaryError('unauthenticated', `The bearer token was refused: ${reason}.`, { cause: error });
    }
  };
}
