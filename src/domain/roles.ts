/**
 * Workspace roles and what each may do, in one table. Routes name a permission; only
 * `can` decides. Roles are ordered: a higher role can do everything a lower one can.
 */
export const roles = ['viewer', 'member', 'admin', 'owner'] as const;
export type Role = (typeof roles)[number];

export const permissions = {
  'workspace.read': 'viewer',
  'workspace.update': 'admin',
  'workspace.delete': 'owner',
  'members.read': 'viewer',
  'members.manage': 'admin',
  'api_keys.read': 'admin',
  'api_keys.manage': 'admin',
  'encryption_keys.read': 'admin',
  'connectors.manage': 'admin',
  'connections.read': 'viewer',
  'connections.test': 'member',
  'connections.manage': 'admin',
  'runs.read': 'viewer',
  'runs.trigger': 'member',
  'data.read': 'viewer',
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof permissions;

export function roleRank(role: Role): number {
  return roles.indexOf(role);
}

export function can(role: Role, permission: Permission): boolean {
  return roleRank(role) >= roleRank(permissions[permission]);
}

/** A member may hand out at most their own role (an admin cannot create owners). */
export function canGrant(granter: Role, granted: Role): boolean {
  return roleRank(granter) >= roleRank(granted);
}
