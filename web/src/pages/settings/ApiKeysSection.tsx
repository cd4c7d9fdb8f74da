import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import type { Me } from '../../auth/session';
import { ConfirmDialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { closeThenFocus } from './close-then-focus';
import { CreatedKeyDialog } from './CreatedKeyDialog';
import { RoleSelect, type Role } from './RoleSelect';
import { When } from './When';

type ApiKey = Schemas['ApiKey'];

/** The workspace's API keys (admins only): create one and see it once, list them masked, revoke. */
export function ApiKeysSection({ me }: { me: Me }) {
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => unwrap(api.GET('/api/v1/api-keys')) });
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  return (
    <section className="card stack" aria-labelledby="api-keys-title">
      <div>
        <h2 id="api-keys-title" ref={heading} tabIndex={-1}>
          API keys
        </h2>
        <p className="muted">For host applications, scripts and agents calling the API or the MCP server. A key acts in this workspace with the role it was given.</p>
      </div>
      <CreateKeyForm me={me} />
      {keys.isPending ? (
        <Loading label="Loading API keys" />
      ) : keys.error ? (
        <ErrorMessage error={keys.error} title="The API keys could not be loaded." />
      ) : keys.data.apiKeys.length === 0 ? (
        <p className="empty">No API keys yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="stacked-table">
            <caption className="visually-hidden">API keys of this workspace</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Key</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Status and actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.apiKeys.map((key) => (
                <tr key={key.id} className={key.revokedAt ? 'revoked' : undefined}>
                  <td data-label="Name">{key.name}</td>
                  <td data-label="Role">{key.role}</td>
                  <td data-label="Key">
                    <code>{key.hint}</code>
                  </td>
                  <td data-label="Created">
                    <When iso={key.createdAt} />
                  </td>
                  <td data-label="Last used">
                    <When iso={key.lastUsedAt} />
                  </td>
                  <td className="actions">
                    {key.revokedAt ? (
                      <span className="badge">
                        Revoked <When iso={key.revokedAt} />
                      </span>
                    ) : (
                      <button type="button" className="danger" onClick={() => setRevoking(key)} aria-label={`Revoke ${key.name}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoking ? <RevokeKeyDialog apiKey={revoking} onRevoked={() => closeThenFocus(() => setRevoking(null), heading)} onClose={() => setRevoking(null)} /> : null}
    </section>
  );
}

function CreateKeyForm({ me }: { me: Me }) {
  const queries = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('member');
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/api-keys', { body: { name, role } })),
    onSuccess: () => {
      setName('');
      return queries.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // Not disabled while it runs: a disabled button drops focus, which the key's dialog gives back on closing.
    if (!create.isPending) create.mutate();
  };
  return (
    <>
      <form className="stack" onSubmit={onSubmit} aria-label="Create an API key">
        <div className="form-row">
          <label>
            Key name
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Website backend" required maxLength={200} />
          </label>
          <label>
            Role
            <RoleSelect me={me} value={role} onChange={setRole} />
          </label>
          <button type="submit" className="primary" aria-disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create key'}
          </button>
        </div>
        <ErrorMessage error={create.error} />
      </form>
      {/* Outside the form, so Enter in the dialog cannot create another key; reset() forgets the key with the dialog. */}
      {create.data ? <CreatedKeyDialog created={create.data} onClose={() => create.reset()} /> : null}
    </>
  );
}

function RevokeKeyDialog({ apiKey, onRevoked, onClose }: { apiKey: ApiKey; onRevoked: () => void; onClose: () => void }) {
  const queries = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id: apiKey.id } } })),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['api-keys'] });
      onRevoked();
    },
  });
  return (
    <ConfirmDialog
      title={`Revoke “${apiKey.name}”?`}
      message={
        <p>
          Anything using the key <code>{apiKey.hint}</code> is refused from the next request on. This cannot be undone.
        </p>
      }
      confirmLabel="Revoke key"
      danger
      busy={revoke.isPending}
      error={<ErrorMessage error={revoke.error} />}
      onConfirm={() => revoke.mutate()}
      onClose={onClose}
    />
  );
}
