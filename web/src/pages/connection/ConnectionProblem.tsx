import { adviceFor } from '../../error-advice';
import type { Connection } from './connection-queries';

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
      <h2 id="problem-title">{advice.words}</h2>
      <p>
        {error.message} <span className="muted">(code <code>{error.code}</code>)</span>
      </p>
      {advice.remedy === 'reconnect' ? reconnect : null}
      {advice.remedy === 'test' ? <p>This may pass by itself: test the connection again, or wait for the next scheduled run.</p> : null}
    </section>
  );
}
