/**
 * What an API error code means to a person, in a few plain words, and what they can do about it:
 * one table for the connect wizard's test result and the connection page's problem panel. The
 * API's own message (which names the fix) is shown beneath, unchanged.
 */
export interface ErrorAdvice {
  words: string;
  /** `reconnect`: new secrets or a new sign-in; `test`: try again, it may pass; `none`: read the message. */
  remedy: 'reconnect' | 'test' | 'none';
}

const advice: Record<string, ErrorAdvice> = {
  reauth_required: { words: 'The provider no longer accepts this sign-in.', remedy: 'reconnect' },
  auth_failed: { words: 'The vendor refused the credentials.', remedy: 'reconnect' },
  vendor_forbidden: { words: 'The credentials may not read this data.', remedy: 'reconnect' },
  vendor_not_found: { words: 'The vendor has nothing at the configured address or account.', remedy: 'none' },
  invalid_config: { words: 'A configuration value is not valid.', remedy: 'none' },
  accounts_required: { words: 'No account has been chosen for this connection yet.', remedy: 'none' },
  live_disabled: { words: 'Live mode is switched off for this connector on this hub.', remedy: 'none' },
  oauth_not_configured: { words: 'This hub has no OAuth app for the provider.', remedy: 'none' },
  bad_request: { words: 'The vendor did not accept the request.', remedy: 'none' },
  rate_limited: { words: 'The vendor asked us to slow down.', remedy: 'test' },
  vendor_unavailable: { words: 'The vendor had a server error.', remedy: 'test' },
  timeout: { words: 'The vendor did not answer in time.', remedy: 'test' },
  network: { words: 'The vendor could not be reached.', remedy: 'test' },
  invalid_response: { words: 'The vendor answered with something unexpected.', remedy: 'test' },
  internal: { words: 'Something went wrong on our side.', remedy: 'test' },
};

export function adviceFor(code: string): ErrorAdvice {
  return advice[code] ?? { words: 'The last test or sync failed.', remedy: 'test' };
}
