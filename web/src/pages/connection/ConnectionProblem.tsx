import type { Connection } from './connection-queries';

/**
 * A connection's last error in plain words: a title for what happened and what the person can do
 * about it. The API's own message (which names the fix too) is shown beneath, unchanged.
 */
interface ErrorAdvice {
  title: string;
  /** `reconnect`: new secrets or a new sign-in; `test`: try again, it may pass; `none`: read the message. */
  remedy: 'reconnect' | 'test' | 'none';
}

const advice: Record<string, ErrorAdvice> = {
  reauth_required: { title: 'The provider no longer accepts this sign-in.', remedy: 'reconnect' },
  auth_failed: { title: 'The vendor refused the credentials.', remedy: 'reconnect' },
  vendor_forbidden: { title: 'The credentials may not read this data.', remedy: 'reconnect' },
  vendor_not_found: { title: 'The vendor has nothing at the configured address or account.', remedy: 'none' },
  invalid_config: { title: 'A configuration value is not valid.', remedy: 'none' },
  accounts_required: { title: 'No account has been chosen for this connection yet.', remedy: 'none' },
  live_disabled: { title: 'Live mode is switched off for this connector on this hub.', remedy: 'none' },
  oauth_not_configured: { title: 'This hub has no OAuth app for the provider.', remedy: 'none' },
  rate_limited: { title: 'The vendor asked us to slow down.', remedy: 'test' },
  vendor_unavailable: { title: 'The vendor had a server error.', remedy: 'test' },
  timeout: { title: 'The vendor did not answer in time.', remedy: 'test' },
  network: { title: 'The vendor could not be reached.', remedy: 'test' },
  invalid_response: { title: 'The vendor answered with something unexpected.', remedy: 'test' },
};

function adviceFor(code: string): ErrorAdvice {
  return advice[code] ?? { title: 'The last test or sync failed.', remedy: 'test' };
}

/**
 * What is wrong with the connection, if anything, in plain words and with the way out: the last
 * error (with the API's message as it was written) or the fact that it is disconnected.
 */
export function ConnectionProblem({ connection, canManage, onReconnect }: { connection: Connection; canManage: boolean; onReconnect: () => void }) {
  const reconnect = canManage ? (
    <button type="button" onClick={onReconnect}>
      {connection.authMethod === 'oauth2' ? `Reconnect: sign in with ${connection.connectorName} again` : 'Reconnect with new credentials'}
    </button>
  ) : (
    <span className="help">Ask an admin of this workspace to reconnect it.</span>
  );
  if (connection.status === 'disconnected') {
    return (
      <section className="notice problem" aria-labelledby="problem-title">
        <h2 id="problem-title">Disconnected</h2>
        <p>Its credential was deleted, so it does not sync. Its history and synced tables are kept.</p>
        {reconnect}
      </section>
    );
  }
  const error = connection.lastError;
  if (!error || connection.status === 'connected') return null;
  const advice = adviceFor(error.code);
  return (
    <section className="error problem" aria-labelledby="problem-title">
      <h2 id="problem-title">{advice.title}</h2>
      <p>
        {error.message} <span className="muted">(code <code>{error.code}</code>)</span>
      </p>
      {advice.remedy === 'reconnect' ? reconnect : null}
      {advice.remedy === 'test' ? <p>This may pass by itself: test the connection again, or wait for the next scheduled run.</p> : null}
    </section>
  );
}
