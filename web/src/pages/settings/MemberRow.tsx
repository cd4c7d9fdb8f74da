import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import type { Me } from '../../auth/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { RoleSelect, type Role } from './RoleSelect';
import { When } from './When';

/**
 * One member. With `onRemove` (an admin is looking) the role can be changed and saved, and the
 * member removed; a refusal (the last owner, an owner an admin may not touch) shows as the API said it.
 */
export function MemberRow({ me, member, onRemove }: { me: Me; member: Schemas['Member']; onRemove: (() => void) | undefined }) {
  const queries = useQueryClient();
  const you = member.userId === me.user?.id;
  const [role, setRole] = useState<Role>(member.role);
  const select = useRef<HTMLSelectElement>(null);
  const change = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/v1/members/{userId}', { params: { path: { userId: member.userId } }, body: { role } })),
    onSuccess: async () => {
      // Your own role decides which controls you see.
      await Promise.all([queries.invalidateQueries({ queryKey: ['members'] }), you ? queries.invalidateQueries({ queryKey: ['me'] }) : undefined]);
      // The Save button goes once the role is saved; focus stays on the role it changed.
      select.current?.focus();
    },
  });
  const changed = role !== member.role;
  const columns = onRemove ? 4 : 3;
  return (
    <>
      <tr>
        <td data-label="Person">
          <div className="member-name">
            {member.name ?? member.email}
            {you ? <span className="badge">you</span> : null}
            {member.active ? null : <span className="badge invited">Invited</span>}
          </div>
          {member.name ? <div className="muted">{member.email}</div> : null}
        </td>
        <td data-label="Role">
          {onRemove ? (
            <div className="row">
              <RoleSelect ref={select} me={me} value={role} onChange={setRole} label={`Role of ${member.email}`} />
              {changed ? (
                <button type="button" onClick={() => change.isPending || change.mutate()} aria-disabled={change.isPending} aria-label={`Save the role of ${member.email}`}>
                  {change.isPending ? 'Saving…' : 'Save'}
                </button>
              ) : null}
            </div>
          ) : (
            member.role
          )}
        </td>
        <td data-label="Joined">{member.active ? <When iso={member.joinedAt} /> : <span className="muted">not yet signed up</span>}</td>
        {onRemove ? (
          <td className="actions">
            <button type="button" className="danger" onClick={onRemove} aria-label={`Remove ${member.email}`}>
              Remove
            </button>
          </td>
        ) : null}
      </tr>
      {change.error ? (
        <tr>
          <td colSpan={columns}>
            <ErrorMessage error={change.error} title={`The role of ${member.email} was not changed.`} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
