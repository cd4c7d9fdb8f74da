import { Buffer } from 'node:buffer';
import { oauthHttpSandbox, sandboxOAuthClient, SandboxError, type SandboxSpec } from '../../sandboxes/index.js';
import { callbackHmac } from './callback-hmac.js';
import { graphqlPath } from './queries.js';
import { LeakyBucket, type BucketOptions } from './sandbox-cost.js';
import { answerGraphql, type GraphqlRequest } from './sandbox-graphql.js';
import { sandboxShopDomain, seedShop, type SandboxShopData, type ShopSize } from './sandbox-store.js';

/**
 * A Shopify shop's Admin GraphQL API on loopback: `POST /admin/api/2025-10/graphql.json` with
 * `{ query, variables }`, parsed, validated and run by graphql-js against the subset of Shopify's
 * schema in `sandbox-schema.ts`, over the seeded shop of `sandbox-store.ts` (built on the first
 * query). Every request needs `X-Shopify-Access-Token`; errors outside GraphQL answer Shopify's
 * `{ "errors": "<text>" }` with 401, 402 (a frozen shop) or 423 (a locked one). Query cost and
 * the leaky bucket follow `sandbox-cost.ts`: 1,000 points restored at 50 a second unless the
 * options say otherwise, so a test can run the bucket dry and meet `THROTTLED`.
 * Docs: https://shopify.dev/docs/api/admin-graphql, https://shopify.dev/docs/api/usage/response-codes,
 * https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens.
 */
export const shopifySandboxToken = 'shpat_sandbox_00000000000000000000000000';
export const shopifySandboxScopes = ['read_orders', 'read_products', 'read_inventory', 'read_locations'];

export interface ShopifySandboxOptions extends ShopSize {
  bucket?: BucketOptions;
  /** A shop frozen for unpaid bills answers 402; one locked by Shopify 423. */
  shopState?: 'frozen' | 'locked';
  /** Which access tokens pass; only `shopifySandboxToken` when left out. The OAuth sandbox hands in the tokens it issues. */
  isValidToken?: (token: string) => boolean;
  /** The access scopes every valid token has; the connector's four when left out. */
  scopes?: readonly string[];
}

const invalidToken = '[API] Invalid API key or access token (unrecognized login or wrong password)';
const unavailable = { frozen: [402, 'Unavailable Shop'], locked: [423, 'This shop is unavailable'] } as const;

export function shopifySandbox(options: ShopifySandboxOptions = {}): SandboxSpec {
  const { isValidToken = (token) => token === shopifySandboxToken, scopes = shopifySandboxScopes } = options;
  const bucket = new LeakyBucket(options.bucket);
  let shop: SandboxShopData | undefined;
  return {
    auth: (headers) => {
      const token = headers['x-shopify-access-token'];
      return typeof token === 'string' && isValidToken(token);
    },
    errorBody: (status, message) => ({ errors: status === 401 ? invalidToken : message }),
    routes: [
      {
        method: 'POST',
        path: graphqlPath,
        handle(ctx) {
          if (options.shopState) {
            const [status, message] = unavailable[options.shopState];
            throw new SandboxError(status, message);
          }
          const request = ctx.body as Partial<GraphqlRequest> | undefined;
          if (typeof request?.query !== 'string') throw new SandboxError(400, 'Parameter Missing or Invalid: query');
          shop ??= seedShop(options);
          return { body: answerGraphql(request as GraphqlRequest, shop, bucket, { scopes, repeatCursor: ctx.repeatCursor }) };
        },
      },
    ],
  };
}

/**
 * What Shopify adds to the redirect back from its consent page: the shop, the admin's `host`
 * (base64 of its URL), a timestamp and the `hmac` over them all, signed with the app's secret.
 */
function signCallback(params: URLSearchParams): void {
  params.set('shop', sandboxShopDomain);
  params.set('host', Buffer.from(`admin.shopify.com/store/${sandboxShopDomain.split('.')[0]}`).toString('base64').replace(/=+$/, ''));
  params.set('timestamp', String(Math.floor(Date.now() / 1_000)));
  params.set('hmac', callbackHmac(params, sandboxOAuthClient.clientSecret));
}

/**
 * The sandbox the hub starts for a Shopify connection in sandbox mode: a shop on the Plus plan's
 * bucket (20,000 points, 1,000 a second), so syncs are not slowed for show, signed in either with
 * the fixed admin token or through the sandbox's authorization server, which answers as Shopify's
 * does: an offline token that never expires, without refresh token or `token_type`.
 */
export const shopifySandboxProvider = oauthHttpSandbox(
  'Shopify',
  (oauth) => shopifySandbox({ bucket: { maximumAvailable: 20_000, restoreRate: 1_000 }, isValidToken: (token) => token === shopifySandboxToken || oauth.isValidToken(token) }),
  { apiKey: shopifySandboxToken, accessToken: shopifySandboxToken },
  { shop: sandboxShopDomain },
  {
    refreshTokens: false,
    accessTokenSeconds: Infinity,
    tokenBody: ({ access_token, scope }) => ({ access_token, scope }),
    callbackParams: signCallback,
  },
);
