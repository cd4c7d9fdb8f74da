import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { hasRole, type Me } from '../../auth/session';
import { ErrorMessage } from '../../components/ErrorMessage';

/** The workspace's name: admins rename it; everyone sees it and their own role. */
export function WorkspaceSection({ me }: { me: Me }) {
  const workspace = me.workspace!;
  return (
    <section className="card stack" aria-labelledby="workspace-title">
      <h2 id="workspace-title">Workspace</h2>
      {hasRole(me, 'admin') ? (
        <RenameForm id={workspace.id} current={workspace.name} />
      ) : (
        <p>
          <strong>{workspace.name}</strong>
        </p>
      )}
      <p className="muted">
        Your role here: <strong>{me.role}</strong>.
      </p>
    </section>
  );
}

function RenameForm({ id, current }: { id: string; current: string }) {
  const queries = useQueryClient();
  const [name, setName] = useState(current);
  const rename = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/v1/workspaces/{id}', { params: { path: { id } }, body: { name } })),
    // The name shows in the workspace switcher, which reads `me`.
    onSuccess: () => queries.invalidateQueries({ queryKey: ['me'] }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!rename.isPending && name.trim() !== current) rename.mutate();
  };
  return (
    <form className="stack" onSubmit={onSubmit} aria-label="Rename the workspace">
      <div className="form-row">
        <label>
          Workspace name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <button type="submit" aria-disabled={rename.isPending || name.trim() === current}>
          {rename.isPending ? 'Saving…' : 'Rename'}
        </button>
        <span role="status" className="confirmation">
          {rename.isSuccess && name.trim() === current ? 'Saved' : ''}
        </span>
      </div>
      <ErrorMessage error={rename.error} />
    </form>
  );
}
