import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ConfirmDialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatNumber } from '../../format';
import { useConnectionChanged, type Connection, type ConnectionTest } from './connection-queries';
import { ReconnectDialog } from './ReconnectDialog';

/**
 * Test, Reconnect and Disconnect, with the last test's result. `reconnectOpen` lets the
 * last-error notice open the same Reconnect dialog.
 */
export function ConnectionActions(props: { connection: Connection; canTest: boolean; canManage: boolean; reconnectOpen: boolean; setReconnectOpen: (open: boolean) => void }) {
  const { connection, canTest, canManage, reconnectOpen, setReconnectOpen } = props;
  const changed = useConnectionChanged(connection.id);
  const [result, setResult] = useState<ConnectionTest | null>(null);
  const [confirmDisconnect, setConfirmDisconnect] = useState(false);
  // A dialog gives focus back to what opened it; when that is gone or disabled (Disconnect after
  // disconnecting, the problem panel's button after reconnecting), Reconnect takes it.
  const reconnectButton = useRef<HTMLButtonElement>(null);
  const focusReconnect = useRef(false);
  useEffect(() => {
    if (!focusReconnect.current || confirmDisconnect || reconnectOpen) return;
    focusReconnect.current = false;
    if (!document.activeElement || document.activeElement === document.body) reconnectButton.current?.focus();
  });
  const test = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/connections/{id}/test', { params: { path: { id: connection.id } } })),
    onSuccess: (answer) => {
      setResult(answer);
      void changed(answer.connection);
    },
    onError: () => changed(),
  });
  const disconnect = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/connections/{id}/disconnect', { params: { path: { id: connection.id } } })),
    onSuccess: async (updated) => {
      focusReconnect.current = true;
      setConfirmDisconnect(false);
      setResult(null);
      await changed(updated);
    },
  });
  const disconnected = connection.status === 'disconnected';
  return (
    <div className="stack">
      <div className="row">
        <button type="button" className="primary" onClick={() => test.mutate()} disabled={!canTest || disconnected || test.isPending}>
          {test.isPending ? 'Testing…' : 'Test'}
        </button>
        <button type="button" ref={reconnectButton} onClick={() => setReconnectOpen(true)} disabled={!canManage}>
          Reconnect
        </button>
        <button type="button" className="danger" onClick={() => setConfirmDisconnect(true)} disabled={!canManage || disconnected}>
          Disconnect
        </button>
        {!canManage ? <span className="help">Only admins can reconnect or disconnect.</span> : null}
      </div>
      <ErrorMessage error={test.error} title="The test could not run." />
      {result ? <TestResult result={result} /> : null}
      {confirmDisconnect ? (
        <ConfirmDialog
          title="Disconnect"
          message={`Disconnect “${connection.name}”? Its stored credential is deleted and syncs stop; its history and synced tables stay. Reconnect to use it again.`}
          confirmLabel="Disconnect"
          danger
          busy={disconnect.isPending}
          error={<ErrorMessage error={disconnect.error} />}
          onConfirm={() => disconnect.mutate()}
          onClose={() => setConfirmDisconnect(false)}
        />
      ) : null}
      {reconnectOpen ? (
        <ReconnectDialog
          connection={connection}
          onClose={() => setReconnectOpen(false)}
          onTested={(answer) => {
            focusReconnect.current = true;
            setResult(answer);
            void changed(answer.connection);
          }}
        />
      ) : null}
    </div>
  );
}

function TestResult({ result }: { result: ConnectionTest }) {
  const time = `${formatNumber(result.responseTimeMs)} ms`;
  return (
    <div className={result.ok ? 'notice test-result ok' : 'error test-result'} role="status">
      {result.ok ? (
        <strong>Test passed in {time} ({result.source}).</strong>
      ) : (
        // What it means and what to do is said once, in the problem panel below.
        <strong>
          Test failed after {time}: <code>{result.error?.code}</code>. See below for what to do.
        </strong>
      )}
    </div>
  );
}
