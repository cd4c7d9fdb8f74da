import chatwoot from './definitions/chatwoot/chatwoot.connector.js';
import { chatwootSandboxProvider } from './definitions/chatwoot/sandbox.js';
import ga4 from './definitions/ga4/ga4.connector.js';
import { ga4SandboxProvider } from './definitions/ga4/sandbox.js';
import hubspot from './definitions/hubspot/hubspot.connector.js';
import { hubspotSandboxProvider } from './definitions/hubspot/sandbox.js';
import instantly from './definitions/instantly/instantly.connector.js';
import { instantlySandboxProvider } from './definitions/instantly/sandbox.js';
import linkedin from './definitions/linkedin/linkedin.connector.js';
import { linkedinSandboxProvider } from './definitions/linkedin/sandbox.js';
import mailchimp from './definitions/mailchimp/mailchimp.connector.js';
import { mailchimpSandboxProvider } from './definitions/mailchimp/sandbox.js';
import metaAds from './definitions/meta_ads/meta_ads.connector.js';
import { metaAdsSandboxProvider } from './definitions/meta_ads/sandbox.js';
import phantombuster from './definitions/phantombuster/phantombuster.connector.js';
import { phantombusterSandboxProvider } from './definitions/phantombuster/sandbox.js';
import postgres from './definitions/postgres/postgres.connector.js';
import { postgresSandboxProvider } from './definitions/postgres/sandbox.js';
import shopify from './definitions/shopify/shopify.connector.js';
import { shopifySandboxProvider } from './definitions/shopify/sandbox.js';
import type { ConnectorDefinition } from './runtime/define.js';
import type { SandboxProvider } from './sandboxes/index.js';

/** The built-in connectors, as plain imports: adding one is a line here and a line in `builtInSandboxes`. */
export const builtInConnectors: readonly ConnectorDefinition[] = [hubspot, instantly, phantombuster, chatwoot, postgres, ga4, metaAds, shopify, mailchimp, linkedin];

export interface SandboxOptions {
  /** A PostgreSQL server the database sandboxes may create schemas on; PGlite when left out. */
  postgresUrl?: string;
}

/** Every built-in connector's sandbox, by connector id; the hub starts each on first use. */
export function builtInSandboxes(options: SandboxOptions = {}): Record<string, SandboxProvider> {
  return {
    hubspot: hubspotSandboxProvider,
    instantly: instantlySandboxProvider,
    phantombuster: phantombusterSandboxProvider,
    chatwoot: chatwootSandboxProvider,
    ga4: ga4SandboxProvider,
    meta_ads: metaAdsSandboxProvider,
    shopify: shopifySandboxProvider,
    mailchimp: mailchimpSandboxProvider,
    linkedin: linkedinSandboxProvider,
    postgres: postgresSandboxProvider(options.postgresUrl ? { serverUrl: options.postgresUrl } : {}),
  };
}
