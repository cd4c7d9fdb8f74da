import path from 'node:path';
import { z } from 'zod';
import { parseFlag } from '../domain/flag.js';

/**
 * All configuration comes from the environment, is read once here and validated. A bad value
 * stops the start with one line naming the variable. The README's configuration table lists
 * every variable below; a test keeps the two in step.
 */
const flag = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = parseFlag(raw);
      if (value === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected one of true, 1, on, yes, false, 0, off, no (any case), got "${raw}"` });
        return z.NEVER;
      }
      return value;
    });

const optionalText = z
  .string()
  .optional()
  .transform((raw) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim()));

const optionalUrl = (protocols: string[]) =>
  optionalText.pipe(
    z
      .string()
      .refine((raw) => {
        try {
          return protocols.includes(new URL(raw).protocol);
        } catch {
          return false;
        }
      }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`)
      .optional(),
  );

const integer = (fallback: number, min: number, max: number) =>
  optionalText.transform((raw, ctx) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    const problem = !/^-?\d+$/.test(raw)
      ? `must be a whole number, got "${raw}"`
      : value < min
        ? `must be at least ${min}`
        : value > max
          ? `must be at most ${max}`
          : undefined;
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return value;
  });

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const envSchema = z.object({
  PORT: integer(3000, 0, 65535),
  HOST: optionalText.transform((raw) => raw ?? '127.0.0.1'),
  TRIBUTARY_DATA_DIR: optionalText.transform((raw) => path.resolve(raw ?? '.tributary')),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  TRIBUTARY_DATABASE_SCHEMA: optionalText.pipe(
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
      .optional()
      .transform((raw) => raw ?? 'public'),
  ),
  TRIBUTARY_ENCRYPTION_KEY: optionalText,
  TRIBUTARY_PUBLIC_URL: optionalUrl(['http:', 'https:']),
  TRIBUTARY_JWT_SECRET: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  TRIBUTARY_JWKS_URL: optionalUrl(['http:', 'https:']),
  TRIBUTARY_JWT_ISSUER: optionalText,
  TRIBUTARY_JWT_AUDIENCE: optionalText,
  TRIBUTARY_SIGNUP: flag(true),
  TRIBUTARY_SESSION_TTL_HOURS: integer(24 * 14, 1, 24 * 365),
  TRIBUTARY_WAREHOUSE: optionalText.pipe(
    z
      .string()
      .refine((raw) => /^duckdb:/.test(raw) || /^postgres(ql)?:\/\/[^/]/.test(raw), 'must be duckdb:<folder> (or just duckdb:) or a postgres:// URL')
      .optional(),
  ),
  TRIBUTARY_CRON_SECRET: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  TRIBUTARY_WORKER_CONCURRENCY: integer(2, 1, 64),
  TRIBUTARY_RUN_LEASE_SECONDS: integer(30, 2, 3600),
  TRIBUTARY_RUN_MAX_ATTEMPTS: integer(3, 1, 20),
  TRIBUTARY_LOG_LEVEL: optionalText.pipe(
    z
      .enum(logLevels, { message: `must be one of ${logLevels.join(', ')}` })
      .optional()
      .transform((raw) => raw ?? 'info'),
  ),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; schema: string };
  encryptionKey: string | undefined;
  jwt: { secret: string | undefined; jwksUrl: string | undefined; issuer: string | undefined; audience: string | undefined };
  signupEnabled: boolean;
  sessionTtlHours: number;
  logLevel: (typeof logLevels)[number];
  /** Where synced data lands: a DuckDB file per workspace in a folder, or a schema per workspace on a PostgreSQL. */
  warehouse: { kind: 'duckdb'; dir: string } | { kind: 'postgres'; url: string };
  sync: {
    /** Unset: the internal cron endpoint is off. */
    cronSecret: string | undefined;
    workerConcurrency: number;
    leaseSeconds: number;
    maxAttempts: number;
  };
  /** Per-connector operator switches, by connector id: `TRIBUTARY_<ID>_BASE_URL`, `_LIVE` and `_RATE_LIMIT`. */
  connectors: Record<string, { baseUrl?: string; live?: boolean; rateLimit?: { requests: number; perSeconds: number } | 'off' }>;
  oauth: {
    /** The operator's OAuth apps by provider (`google`): `TRIBUTARY_OAUTH_GOOGLE_CLIENT_ID` and `_CLIENT_SECRET`. */
    apps: Record<string, { clientId: string; clientSecret: string }>;
    /** Origins besides the public URL's a sign-in may return to (`TRIBUTARY_OAUTH_RETURN_ORIGINS`, comma-separated): a host application's. */
    returnOrigins: string[];
  };
}

export class ConfigError extends Error {
  constructor(readonly variable: string, readonly problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  if (e.TRIBUTARY_JWT_SECRET && e.TRIBUTARY_JWKS_URL) {
    throw new ConfigError('TRIBUTARY_JWKS_URL', 'set either TRIBUTARY_JWT_SECRET or TRIBUTARY_JWKS_URL, not both');
  }
  const shownHost = e.HOST === '0.0.0.0' || e.HOST === '127.0.0.1' || e.HOST === '::' ? 'localhost' : e.HOST;
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.TRIBUTARY_PUBLIC_URL ?? `http://${shownHost}:${e.PORT}`).replace(/\/+$/, ''),
    dataDir: e.TRIBUTARY_DATA_DIR,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, schema: e.TRIBUTARY_DATABASE_SCHEMA }
      : { kind: 'pglite', dataDir: path.join(e.TRIBUTARY_DATA_DIR, 'metadata') },
    encryptionKey: e.TRIBUTARY_ENCRYPTION_KEY,
    jwt: {
      secret: e.TRIBUTARY_JWT_SECRET,
      jwksUrl: e.TRIBUTARY_JWKS_URL,
      issuer: e.TRIBUTARY_JWT_ISSUER,
      audience: e.TRIBUTARY_JWT_AUDIENCE,
    },
    signupEnabled: e.TRIBUTARY_SIGNUP,
    sessionTtlHours: e.TRIBUTARY_SESSION_TTL_HOURS,
    logLevel: e.TRIBUTARY_LOG_LEVEL,
    warehouse: warehouseOf(e.TRIBUTARY_WAREHOUSE, e.TRIBUTARY_DATA_DIR),
    sync: {
      cronSecret: e.TRIBUTARY_CRON_SECRET,
      workerConcurrency: e.TRIBUTARY_WORKER_CONCURRENCY,
      leaseSeconds: e.TRIBUTARY_RUN_LEASE_SECONDS,
      maxAttempts: e.TRIBUTARY_RUN_MAX_ATTEMPTS,
    },
    connectors: connectorSwitches(env),
    oauth: { apps: oauthApps(env), returnOrigins: returnOrigins(env.TRIBUTARY_OAUTH_RETURN_ORIGINS) },
  };
}

const oauthAppPattern = /^TRIBUTARY_OAUTH_([A-Z][A-Z0-9_]*)_CLIENT_(ID|SECRET)$/;

/** `TRIBUTARY_OAUTH_<PROVIDER>_CLIENT_ID` with its `_CLIENT_SECRET`, for any provider; one without the other is an error. */
function oauthApps(env: Record<string, string | undefined>): Config['oauth']['apps'] {
  const halves: Record<string, { clientId?: string; clientSecret?: string }> = {};
  for (const [name, raw] of Object.entries(env)) {
    const match = oauthAppPattern.exec(name);
    if (!match || raw === undefined || raw.trim() === '') continue;
    const entry = (halves[match[1]!.toLowerCase()] ??= {});
    entry[match[2] === 'ID' ? 'clientId' : 'clientSecret'] = raw.trim();
  }
  const apps: Config['oauth']['apps'] = {};
  for (const [provider, { clientId, clientSecret }] of Object.entries(halves)) {
    const prefix = `TRIBUTARY_OAUTH_${provider.toUpperCase()}_CLIENT_`;
    if (!clientId) throw new ConfigError(`${prefix}ID`, `is needed with ${prefix}SECRET`);
    if (!clientSecret) throw new ConfigError(`${prefix}SECRET`, `is needed with ${prefix}ID`);
    apps[provider] = { clientId, clientSecret };
  }
  return apps;
}

function returnOrigins(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((entry) => {
    const value = entry.trim();
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new ConfigError('TRIBUTARY_OAUTH_RETURN_ORIGINS', `"${value}" is not an http(s) origin`);
    return new URL(value).origin;
  });
}

function warehouseOf(raw: string | undefined, dataDir: string): Config['warehouse'] {
  if (raw === undefined || raw === 'duckdb:') return { kind: 'duckdb', dir: path.join(dataDir, 'warehouse') };
  if (raw.startsWith('duckdb:')) return { kind: 'duckdb', dir: path.resolve(raw.slice('duckdb:'.length)) };
  return { kind: 'postgres', url: raw };
}

const switchPattern = /^TRIBUTARY_([A-Z][A-Z0-9_]*)_(BASE_URL|LIVE|RATE_LIMIT)$/;
/** `190/10s`: requests per seconds. */
const rateLimitPattern = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*s$/;

/**
 * `TRIBUTARY_HUBSPOT_BASE_URL=https://proxy…`, `TRIBUTARY_HUBSPOT_LIVE=false` and
 * `TRIBUTARY_HUBSPOT_RATE_LIMIT=190/10s` (or `off`), for any connector id. Whether the id names a
 * connector is checked against the catalog when the hub opens.
 */
function rateLimitOf(name: string, raw: string): { requests: number; perSeconds: number } | 'off' {
  if (raw.toLowerCase() === 'off') return 'off';
  const match = rateLimitPattern.exec(raw);
  const [requests, perSeconds] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!(requests > 0 && perSeconds > 0)) throw new ConfigError(name, `expected requests per seconds such as 190/10s, or off, got "${raw}"`);
  return { requests, perSeconds };
}

function connectorSwitches(env: Record<string, string | undefined>): Config['connectors'] {
  const switches: Config['connectors'] = {};
  for (const [name, raw] of Object.entries(env)) {
    const match = switchPattern.exec(name);
    if (!match || raw === undefined || raw.trim() === '') continue;
    const id = match[1]!.toLowerCase();
    const entry = (switches[id] ??= {});
    if (match[2] === 'LIVE') {
      const live = parseFlag(raw);
      if (live === undefined) throw new ConfigError(name, `expected one of true, 1, on, yes, false, 0, off, no (any case), got "${raw}"`);
      entry.live = live;
    } else if (match[2] === 'RATE_LIMIT') {
      entry.rateLimit = rateLimitOf(name, raw.trim());
    } else {
      const url = raw.trim();
      if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) throw new ConfigError(name, 'must be a URL starting with http:// or https://');
      entry.baseUrl = url.replace(/\/+$/, '');
    }
  }
  return switches;
}
