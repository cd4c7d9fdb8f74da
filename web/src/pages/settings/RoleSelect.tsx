import type { Ref } from 'react';
import type { Schemas } from '../../api/client';
import { hasRole, type Me } from '../../auth/session';

export type Role = Schemas['Role'];

const roles: Role[] = ['viewer', 'member', 'admin', 'owner'];

/** What each role may do, in the words of the role table (src/domain/roles.ts). */
export const roleMeanings: Record<Role, string> = {
  viewer: 'reads connections, runs and data',
  member: 'also tests connections and starts syncs',
  admin: 'also manages connections, members and API keys',
  owner: 'also deletes the workspace',
};

/**
 * A role picker offering what the caller may hand out (at most their own role). A role already
 * held above that stays listed, so the control shows the truth; changing it is the API's to refuse.
 */
export function RoleSelect({ me, value, onChange, label, ref }: { me: Me; value: Role; onChange: (role: Role) => void; label?: string; ref?: Ref<HTMLSelectElement> }) {
  const offered = roles.filter((r) => r === value || hasRole(me, r));
  return (
    <select ref={ref} aria-label={label} value={value} onChange={(e) => onChange(e.target.value as Role)}>
      {offered.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  );
}
