import { TributaryError } from '../../../domain/errors.js';
import type { ConnectionContext, ConnectorHooks } from '../../runtime/hooks.js';

/**
 * Mailchimp serves each account from its data center (`us21`), at `https://us21.api.mailchimp.com/3.0`
 * (https://mailchimp.com/developer/marketing/docs/fundamentals/#api-structure). An API key names
 * its data center after its last dash (`…-us21`); an OAuth token does not, and the login server
 * says which it is: `GET https://login.mailchimp.com/oauth2/metadata` answers `{ dc, api_endpoint, … }`
 * (https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/). It answers a token
 * it does not know with 200 and `{ error: 'invalid_token' }`, so that answer is read here.
 *
 * The guide sends the metadata request with `Authorization: OAuth <token>`; the login server also
 * takes the `Bearer` scheme the runtime sends everywhere (Auth.js's Mailchimp provider reads the
 * metadata with it), so the request goes out like every other.
 *
 * A sandbox or a proxy (`TRIBUTARY_MAILCHIMP_BASE_URL`) stands for the login server and for every
 * data center at once, with the data center as the first path segment: `<base>/us21/3.0`.
 */
export const loginServer = 'https://login.mailchimp.com';

const dataCenter = /^[a-z]+\d+$/;

async function apiBaseUrl(context: ConnectionContext): Promise<string> {
  const dc = await dataCenterOf(context);
  const base = (context.baseUrl ?? loginServer).replace(/\/+$/, '');
  return base === loginServer ? `https://${dc}.api.mailchimp.com/3.0` : `${base}/${dc}/3.0`;
}

async function dataCenterOf(context: ConnectionContext): Promise<string> {
  const { apiKey } = (context.secrets ?? {}) as { apiKey?: unknown };
  if (typeof apiKey === 'string') {
    const dc = /-([^-]+)$/.exec(apiKey)?.[1];
    if (dc === undefined || !dataCenter.test(dc)) {
      throw new TributaryError('auth_failed', 'Mailchimp: an API key ends in its data center, as in …-us21; copy the whole key from Profile → Extras → API keys.');
    }
    return dc;
  }
  const metadata = (await context.send({ path: '/oauth2/metadata' })).body as { dc?: unknown; error?: unknown };
  if (typeof metadata !== 'object' || metadata === null) throw new TributaryError('invalid_response', 'Mailchimp: the OAuth metadata was not a JSON object.');
  if (metadata.error !== undefined) throw new TributaryError('auth_failed', 'Mailchimp: the login server does not know this access token (the app was disconnected in Mailchimp?); reconnect the account.');
  if (typeof metadata.dc !== 'string' || !dataCenter.test(metadata.dc)) throw new TributaryError('invalid_response', 'Mailchimp: the OAuth metadata did not name a data center (dc).');
  return metadata.dc;
}

export const mailchimpHooks: ConnectorHooks = { baseUrl: apiBaseUrl };
