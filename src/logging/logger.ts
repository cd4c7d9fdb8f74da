import pino from 'pino';

/**
 * Structured JSON logs. Each component logs through `logger.child({ scope })` (api, store, vault,
 * cli…), so an operator can follow one part. Secrets are redacted by key name at any of the first
 * three levels of a log object, and request URLs have secret-looking query values masked: the
 * code never logs bodies, but a value under one of these names is removed if it ever is.
 */
export type Logger = pino.Logger;

const secretKeys = [
  'password',
  'passwordHash',
  'secret',
  'clientSecret',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'api_key',
  'key',
  'credential',
  'credentials',
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'encryptionKey',
];

const redactPaths = secretKeys.flatMap((k) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
  const join = (prefix: string) => (key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`);
  return [key.startsWith('[') ? key.slice(2, -2) : key, join('*'), join('*.*')];
});

const secretQueryNames = /^(token|access_token|refresh_token|key|api_key|apikey|password|secret|code|state|client_secret)$/i;

/** The URL with the values of secret-looking query parameters replaced. */
export function maskUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const name of [...params.keys()]) if (secretQueryNames.test(name)) params.set(name, '[redacted]');
  return `${url.slice(0, q)}?${params.toString()}`;
}

export interface LoggerOptions {
  level: string;
  /** Where lines go; standard output by default. Tests hand in a stream to read them back. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'tributary' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      serializers: {
        err: pino.stdSerializers.err,
        req: (req: { method?: string; url?: string; id?: string }) => ({ method: req.method, url: req.url ? maskUrl(req.url) : undefined, id: req.id }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
