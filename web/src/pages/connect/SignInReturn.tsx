import { useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { accountsTitleOf, useConnector, type Connection, type Connector } from '../integrations/catalog';
import { AccountPicker } from './AccountPicker';
import { oauthStartUrl } from './useConnectionDraft';
import { TestResult } from './TestResult';

/**
 * Back from an OAuth sign-in (`?connection=<id>&oauth=connected|error`): the hub already stored
 * the tokens and tested the connection. Shows that verdict, then the account step where the
 * connector has one; a failure offers signing in again or removing the connection. Closing keeps
 * the connection: what is left to choose can be chosen on its page.
 */
export function SignInReturn({ connectionId, signedIn, onClose }: { connectionId: string; signedIn: boolean; onClose: (message?: string) => void }) {
  const connection = useQuery({
    queryKey: ['connection', connectionId],
    queryFn: () => unwrap(api.GET('/api/v1/connections/{id}', { params: { path: { id: connectionId } } })),
  });
  const connector = useConnector(connection.data?.connectorId);
  const error = connection.error ?? connector.error;
  return (
    <Dialog title={connector.data ? `Connect ${connector.data.name}` : 'Connecting'} onClose={() => onClose()}>
      {error ? (
        <ErrorMessage error={error} title="The connection could not be read." />
      ) : connection.data && connector.data ? (
        <Verdict connection={connection.data} connector={connector.data} signedIn={signedIn} onClose={onClose} />
      ) : (
        <Loading label="Reading the connection" />
      )}
    </Dialog>
  );
}

function Verdict({ connection, connector, signedIn, onClose }: { connection: Connection; connector: Connector; signedIn: boolean; onClose: (message?: string) => void }) {
  const health = useQuery({
    queryKey: ['connection', connection.id, 'health', 'latest'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/connections/{id}/health', { params: { path: { id: connection.id }, query: { limit: 1 } } }))).checks[0] ?? null,
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/connections/{id}', { params: { path: { id: connection.id } } })),
    onSuccess: () => onClose(`${connection.name} was removed.`),
  });
  const working = signedIn && connection.status === 'connected';
  const accountsTitle = accountsTitleOf(connector);
  const failure = connection.lastError ?? { code: 'oauth', message: 'The sign-in did not finish; sign in again.' };
  return (
    <div className="stack">
      <p className="muted">{accountsTitle && working ? `Step 2 of 2: you signed in to ${connector.name}; now choose what it syncs.` : `Signed in to ${connector.name} for ${connection.name}.`}</p>
      <TestResult outcome={{ ok: working, source: connection.mode, ...(health.data ? { responseTimeMs: health.data.responseTimeMs } : {}), error: working ? null : failure }} name={connector.name} />
      {working && accountsTitle ? (
        <AccountPicker connectionId={connection.id} title={accountsTitle} onSaved={(count) => onClose(`${connection.name} is connected, syncing ${count} of its ${accountsTitle}.`)} />
      ) : working ? (
        <div className="row">
          <button type="button" className="primary" onClick={() => onClose(`${connection.name} is connected.`)}>
            Done
          </button>
        </div>
      ) : (
        <div className="row">
          <button type="button" className="primary" onClick={() => window.location.assign(oauthStartUrl(connection.connectorId, connection.id))}>
            Sign in again
          </button>
          <button type="button" className="danger" onClick={() => {
              if (!remove.isPending) remove.mutate();
            }} aria-disabled={remove.isPending}>
            {remove.isPending ? 'Removing…' : 'Remove this connection'}
          </button>
        </div>
      )}
      <ErrorMessage error={remove.error} />
    </div>
  );
}
