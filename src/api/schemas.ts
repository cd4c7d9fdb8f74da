import { z } from 'zod';
import type { ApiKey, Member, User, Workspace } from '../domain/accounts.js';
import { errorCodes } from '../domain/errors.js';
import { roles } from '../domain/roles.js';

/**
 * The shapes the API answers with, and the presenters that map domain objects onto them.
 * Registered by id so the OpenAPI document names them.
 */
export const errorBody = z
  .object({
    error: z.object({
      code: z.enum(errorCodes).describe('Stable, snake_case; see the error catalog in the docs.'),
      message: z.string().describe('What went wrong and what to do; safe to show a person.'),
      details: z.record(z.string(), z.unknown()),
    }),
  })
  .meta({ id: 'Error' });

/** The error answers a route can give, for its OpenAPI entry. */
export function errors(...statuses: Array<400 | 401 | 403 | 404 | 409 | 413 | 415 | 503>) {
  return Object.fromEntries(statuses.map((s) => [s, errorBody])) as Record<(typeof statuses)[number], typeof errorBody>;
}

export const role = z.enum(roles).meta({ id: 'Role', description: 'viewer < member < admin < owner' });
const timestamp = z.string().describe('ISO 8601 date and time');
export const uuid = z.uuid({ message: 'must be a uuid' });

/** Keyset pages of a newest-first list (events, health checks, runs). */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
  cursor: z.string().max(200).optional().describe('nextCursor from the previous page'),
});

export const userView = z.object({ id: z.string(), email: z.string(), name: z.string().nullable(), createdAt: timestamp }).meta({ id: 'User' });
export const workspaceView = z.object({ id: z.string(), name: z.string(), createdAt: timestamp, updatedAt: timestamp }).meta({ id: 'Workspace' });
export const workspaceWithRoleView = workspaceView.extend({ role }).meta({ id: 'WorkspaceWithRole' });
export const memberView = z
  .object({ userId: z.string(), email: z.string(), name: z.string().nullable(), role, active: z.boolean(), joinedAt: timestamp })
  .meta({ id: 'Member' });
export const apiKeyView = z
  .object({
    id: z.string(),
    name: z.string(),
    role,
    hint: z.string().describe('Masked key, for recognising it; the key itself is shown once, at creation.'),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' });

export const presentUser = (u: User) => ({ id: u.id, email: u.email, name: u.name, createdAt: u.createdAt.toISOString() });
export const presentWorkspace = (w: Workspace) => ({ id: w.id, name: w.name, createdAt: w.createdAt.toISOString(), updatedAt: w.updatedAt.toISOString() });
export const presentMember = (m: Member) => ({ userId: m.userId, email: m.email, name: m.name, role: m.role, active: m.active, joinedAt: m.joinedAt.toISOString() });
export const presentApiKey = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  role: k.role,
  hint: k.hint,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

export const email = z.email({ message: 'must be an email address' }).max(320).transform((e) => e.trim());
export const name = (what: string) => z.string().trim().min(1, `${what} must not be empty`).max(200, `${what} must be at most 200 characters`);
