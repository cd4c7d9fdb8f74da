import type { Clock, HttpRequest, HttpResponse } from './http.js';
import type { PaginatorConfig } from './paginators/index.js';
import type { RecordBatch } from './read-stream.js';

/**
 * The few places where a built-in connector may run code of its own, because its API does not fit
 * the declarative form. A connector imports its hooks from `definitions/<id>/hooks.ts` and hands
 * them to `defineConnector`; custom connectors (JSON) have none. Keep each hook small: anything
 * most APIs share belongs in the runtime instead.
 *
 * - `discover`: look at the account when a connection is tested (HubSpot's custom properties, a
 *   database's tables). The result is saved on the connection and handed to every later read.
 * - `firstRequest`: reshape a stream's first request (HubSpot reads incrementally through its
 *   search endpoint, with the cursor in a POST body).
 * - `readStream`: read a stream without HTTP (a database connector).
 * - `accounts`: what one sign-in can see (GA4 properties, ad accounts), to choose from; the
 *   choice is kept in a config field, and a live connection without one cannot sync.
 * - `baseUrl`: where the API lives when the credential decides it (Mailchimp's data center: a
 *   `…-us21` key calls us21.api.mailchimp.com). It is handed the target's base URL (the vendor's,
 *   a sandbox's or a proxy's) and a `send` that goes there, and answers the base URL of every other
 *   request of a read, a test or an account listing. It runs once per read, before the first request.
 * - `verifyOAuthCallback`: checks what a provider adds to its OAuth redirect beyond RFC 6749
 *   (Shopify signs the query with the app's secret in `hmac` and names the `shop`). A problem it
 *   returns refuses the sign-in before the code is exchanged.
 */
export interface ConnectorHooks {
  discover?(context: ConnectionContext): Promise<Discovery>;
  accounts?: AccountChoice;
  baseUrl?(context: ConnectionContext): Promise<string>;
  firstRequest?: Partial<Record<string, (request: HttpRequest, context: FirstRequestContext) => FirstRequest>>;
  readStream?(stream: string, context: ConnectionContext & StreamReadContext): AsyncGenerator<RecordBatch>;
  verifyOAuthCallback?(callback: URLSearchParams, context: { clientSecret: string; config: Record<string, unknown> }): string | undefined;
}

export interface AccountChoice {
  /** The config field holding the chosen ids, comma-separated. */
  field: string;
  list(context: ConnectionContext): Promise<Account[]>;
}

export interface Account {
  id: string;
  name: string;
  /** What holds it, when the provider groups them (a GA4 account, a Meta business). */
  group?: string;
}

/** A column the account has that the definition cannot know ahead (a custom property, a table column). */
export interface DiscoveredColumn {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'timestamp' | 'date' | 'json';
  label?: string;
  /** Made by the account (a custom property), not by the vendor. */
  custom?: boolean;
}

export interface DiscoveredStream {
  description?: string;
  /** Column(s) that identify a record; undefined when the source has no key (a table without one). */
  primaryKey?: string[];
  /** Columns that can drive an incremental read (`updated_at`-style). */
  cursorCandidates?: string[];
  columns: Record<string, DiscoveredColumn>;
  /** Where the columns sit in each record, when not at its top level (HubSpot's `properties`). */
  columnsAt?: string;
}

/** What `discover` found, per stream: columns added to declared streams, or streams of its own. */
export interface Discovery {
  streams: Record<string, DiscoveredStream>;
}

/** One connection as a hook sees it: its config, its checked secrets, and a way to call the vendor. */
export interface ConnectionContext {
  config: Record<string, unknown>;
  secrets: unknown;
  /** The vendor's base URL for this connection (sandbox, operator override, self-hosted instance). */
  baseUrl: string | undefined;
  /**
   * Sends a request under the base URL through the runtime: auth, rate limit, retries,
   * classification. `origin` sends it to another host of the same vendor (GA4's Admin API);
   * `headers` are the vendor's own (LinkedIn's version header), the credentials applied over them.
   */
  send(request: { method?: HttpRequest['method']; path: string; origin?: string; query?: Record<string, string>; headers?: Record<string, string>; body?: Record<string, unknown> }): Promise<HttpResponse>;
  /** Paces a hook's own waits (Shopify's cost-based rate limit); tests hand in a manual one. */
  clock: Clock;
  signal?: AbortSignal;
}

export interface StreamReadContext {
  /** The cursor committed by the last successful read, for incremental streams. */
  state?: string;
  /** The incremental field the user chose (a database table's `updated_at`). */
  cursorField?: string;
  discovery?: Discovery;
  maxPages?: number;
}

export interface FirstRequestContext {
  /** The lower bound of an incremental read (saved cursor minus lookback); undefined for a full read. */
  since: string | undefined;
  config: Record<string, unknown>;
  discovery: Discovery | undefined;
}

export interface FirstRequest {
  request: HttpRequest;
  /** Another pagination for this read, when the reshaped request pages differently. */
  paginate?: PaginatorConfig;
  /** Stop after this many pages, where the vendor caps how far one query may page (HubSpot search: 10,000 results). */
  maxPages?: number;
  /** The reshaped request returns records oldest first by the cursor field, so each page's cursor can be committed. */
  ordered?: boolean;
}
