import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { hasRole, type Me } from '../../auth/session';
import { ConfirmDialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { closeThenFocus } from './close-then-focus';
import { MemberRow } from './MemberRow';
import { RoleSelect, roleMeanings, type Role } from './RoleSelect';

type Member = Schemas['Member'];

/** Who belongs to the workspace, with which role; admins add, re-role and remove people. */
export function MembersSection({ me }: { me: Me }) {
  const members = useQuery({ queryKey: ['members'], queryFn: () => unwrap(api.GET('/api/v1/members')) });
  const [removing, setRemoving] = useState<Member | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const admin = hasRole(me, 'admin');
  return (
    <section className="card stack" aria-labelledby="members-title">
      <div>
        <h2 id="members-title" ref={heading} tabIndex={-1}>
          Members
        </h2>
        <ul className="role-legend muted">
          {Object.entries(roleMeanings).map(([role, meaning]) => (
            <li key={role}>
              <strong>{role}</strong> {meaning}
            </li>
          ))}
        </ul>
      </div>
      {admin ? <InviteForm me={me} /> : <p className="muted">Only admins and owners can add members or change roles.</p>}
      {members.isPending ? (
        <Loading label="Loading members" />
      ) : members.error ? (
        <ErrorMessage error={members.error} title="The members could not be loaded." />
      ) : (
        <div className="table-wrap">
          <table className="stacked-table">
            <caption className="visually-hidden">Members of this workspace</caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Role</th>
                <th scope="col">Joined</th>
                {admin ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {members.data.members.map((member) => (
                <MemberRow key={member.userId} me={me} member={member} onRemove={admin ? () => setRemoving(member) : undefined} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {removing ? <RemoveMemberDialog member={removing} onRemoved={() => closeThenFocus(() => setRemoving(null), heading)} onClose={() => setRemoving(null)} /> : null}
    </section>
  );
}

function InviteForm({ me }: { me: Me }) {
  const queries = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const invite = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/members', { body: { email, role } })),
    onSuccess: () => {
      setEmail('');
      return queries.invalidateQueries({ queryKey: ['members'] });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!invite.isPending) invite.mutate();
  };
  return (
    <form className="stack" onSubmit={onSubmit} aria-label="Add a member">
      <div className="form-row">
        <label>
          Email
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="grace@example.com" required autoComplete="off" />
        </label>
        <label>
          Role
          <RoleSelect me={me} value={role} onChange={setRole} />
        </label>
        <button type="submit" className="primary" aria-disabled={invite.isPending}>
          {invite.isPending ? 'Adding…' : 'Add member'}
        </button>
      </div>
      <p className="help">Someone with an account here joins at once; a new email joins by signing up with it.</p>
      <ErrorMessage error={invite.error} />
      <p role="status" className="visually-hidden">
        {invite.data ? `Added ${invite.data.email} as ${invite.data.role}.` : ''}
      </p>
    </form>
  );
}

function RemoveMemberDialog({ member, onRemoved, onClose }: { member: Member; onRemoved: () => void; onClose: () => void }) {
  const queries = useQueryClient();
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/members/{userId}', { params: { path: { userId: member.userId } } })),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['members'] });
      onRemoved();
    },
  });
  return (
    <ConfirmDialog
      title={`Remove ${member.email}?`}
      message={<p>They lose access to this workspace at once. Their account stays, and an admin can add them again.</p>}
      confirmLabel="Remove member"
      danger
      busy={remove.isPending}
      error={<ErrorMessage error={remove.error} />}
      onConfirm={() => remove.mutate()}
      onClose={onClose}
    />
  );
}
