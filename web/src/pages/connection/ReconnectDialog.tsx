import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api, ApiError, unwrap } from '../../api/client';
import { ConfirmDialog, Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import type { Connection, ConnectionTest } from './connection-queries';

/**
 * Reconnecting: an OAuth connection signs in again with the provider (the hub's start route sends
 * the browser there and back to this page); any other enters new secrets, which are tested at once.
 */
export function ReconnectDialog({ connection, onClose, onTested }: { connection: Connection; onClose: () => void; onTested: (test: ConnectionTest) => void }) {
  if (connection.authMethod === 'oauth2') {
    const back = `${window.location.origin}/connections/${connection.id}`;
    const start = `/api/v1/oauth/${encodeURIComponent(connection.connectorId)}/start?connectionId=${connection.id}&returnTo=${encodeURIComponent(back)}`;
    return (
      <ConfirmDialog
        title="Reconnect"
        message={`You will sign in to ${connection.connectorName} again and come back to this page. The old authorization is replaced.`}
        confirmLabel={`Sign in with ${connection.connectorName}`}
        onConfirm={() => window.location.assign(start)}
        onClose={onClose}
      />
    );
  }
  return <SecretsDialog connection={connection} onClose={onClose} onTested={onTested} />;
}

interface SecretField {
  name: string;
  label: string;
  required: boolean;
}

function SecretsDialog({ connection, onClose, onTested }: { connection: Connection; onClose: () => void; onTested: (test: ConnectionTest) => void }) {
  const formId = useId();
  const [values, setValues] = useState<Record<string, string>>({});
  const connector = useQuery({
    queryKey: ['connector', connection.connectorId],
    queryFn: () => unwrap(api.GET('/api/v1/connectors/{id}', { params: { path: { id: connection.connectorId } } })),
  });
  const reconnect = useMutation({
    mutationFn: (secrets: Record<string, string>) =>
      unwrap(api.POST('/api/v1/connections/{id}/reconnect', { params: { path: { id: connection.id } }, body: Object.keys(secrets).length > 0 ? { secrets } : {} })),
    onSuccess: (test) => {
      onTested(test);
      onClose();
    },
  });
  const method = connector.data?.authMethods.find((m) => m.method === connection.authMethod);
  const fields = method ? secretFields(method.formSchema) : [];
  const sandbox = connection.mode === 'sandbox';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reconnect.mutate(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')));
  };
  return (
    <Dialog
      title="Reconnect"
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="primary" disabled={reconnect.isPending || !method}>
            {reconnect.isPending ? 'Testing…' : 'Reconnect and test'}
          </button>
        </>
      }
    >
      {connector.isPending ? <Loading label="Loading the connector’s form" /> : null}
      <ErrorMessage error={connector.error} />
      <form id={formId} className="stack" onSubmit={submit}>
        <p className="muted">
          The new {method?.label.toLowerCase() ?? 'secret'} replaces the stored one{sandbox ? '; leave it empty to use the sandbox’s own credentials' : ''}. Secrets are never shown again.
        </p>
        {fields.map((field) => {
          const problem = reconnect.error instanceof ApiError ? reconnect.error.fieldMessage(`secrets.${field.name}`) : undefined;
          return (
            <label key={field.name}>
              {field.label}
              {field.required && !sandbox ? null : <span className="optional"> (optional)</span>}
              <input
                type="password"
                autoComplete="new-password"
                value={values[field.name] ?? ''}
                required={field.required && !sandbox}
                aria-invalid={problem ? true : undefined}
                onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
              />
              {problem ? <span className="field-error">{problem}</span> : null}
            </label>
          );
        })}
        <ErrorMessage error={reconnect.error} title="Reconnecting failed." />
      </form>
    </Dialog>
  );
}

/** The secret inputs of an auth method's form schema (`{ config, secrets }`). */
function secretFields(formSchema: Record<string, unknown>): SecretField[] {
  const secrets = (formSchema.properties as { secrets?: { properties?: Record<string, { title?: string }>; required?: string[] } } | undefined)?.secrets;
  return Object.entries(secrets?.properties ?? {}).map(([name, schema]) => ({
    name,
    label: schema.title ?? name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()),
    required: secrets?.required?.includes(name) ?? false,
  }));
}
