import crypto from 'node:crypto';

/**
 * Shopify signs each redirect to an app, the OAuth callback among them: `hmac` is the hex
 * HMAC-SHA256, keyed with the app's client secret, of the other query parameters sorted by name
 * and joined as a query string (`code=…&host=…&shop=…&state=…&timestamp=…`).
 * Docs: https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant
 */
export function callbackHmac(params: URLSearchParams, clientSecret: string): string {
  const signed = [...params].filter(([name]) => name !== 'hmac' && name !== 'signature').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // URLSearchParams writes a space as "+"; Shopify signs it as "%20".
  const message = new URLSearchParams(signed).toString().replace(/\+/g, '%20');
  return crypto.createHmac('sha256', clientSecret).update(message).digest('hex');
}

/** What is wrong with a callback's signature (compared in constant time) or its shop, or undefined. */
export function callbackProblem(params: URLSearchParams, clientSecret: string, shop: unknown): string | undefined {
  const sent = Buffer.from(params.get('hmac') ?? '', 'utf8');
  const expected = Buffer.from(callbackHmac(params, clientSecret), 'utf8');
  if (sent.length !== expected.length || !crypto.timingSafeEqual(sent, expected)) return 'its hmac signature does not match this app';
  // Shopify sends the domain in lower case; a person may have typed capitals.
  if (params.get('shop') !== String(shop).toLowerCase()) return 'it comes from another shop than the connection names';
  return undefined;
}
