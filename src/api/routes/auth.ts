import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { TributaryError } from '../../domain/errors.js';
import type { Queryable } from '../../store/db.js';
import { createSession, deleteSessionByTokenHash } from '../../store/session-repository.js';
import { activateUser, createUser, findUserByEmail, getUser } from '../../store/user-repository.js';
import { createWorkspace, getWorkspace, listWorkspacesOfUser } from '../../store/workspace-repository.js';
import { sessionCookie, type Api, type ApiDeps } from '../app.js';
import { decoyPasswordHash, hashPassword, verifyPassword } from '../auth/password.js';
import { hashToken, newSessionToken } from '../auth/tokens.js';
import { email, errors, name, presentUser, presentWorkspace, role, userView, workspaceView, workspaceWithRoleView } from '../schemas.js';

/** Sign up, sign in, sign out and `me`. Sessions live in an httpOnly, SameSite cookie. */
const password = z
  .string({ message: 'is required' })
  .min(10, 'must be at least 10 characters')
  .max(200, 'must be at most 200 characters');

const signedIn = z.object({ user: userView, workspace: workspaceView.nullable() }).meta({ id: 'SignedIn' });

const me = z
  .object({
    via: z.enum(['session', 'api_key', 'jwt']),
    user: userView.nullable().describe('null when an API key is calling'),
    workspace: workspaceView.nullable().describe('The workspace requests act in'),
    role: role.nullable(),
    workspaces: z.array(workspaceWithRoleView).describe('Every workspace the user belongs to'),
  })
  .meta({ id: 'Me' });

export function authRoutes(app: Api, deps: ApiDeps): void {
  const { db, settings } = deps;

  async function startSession(tx: Queryable, reply: FastifyReply, userId: string, workspaceId: string | null): Promise<void> {
    const token = newSessionToken();
    const expiresAt = new Date(Date.now() + settings.sessionTtlHours * 3_600_000);
    await createSession(tx, { tokenHash: hashToken(token), userId, workspaceId, expiresAt });
    reply.setCookie(sessionCookie, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: settings.publicUrl.startsWith('https:'),
      path: '/',
      expires: expiresAt,
    });
  }

  app.post(
    '/auth/signup',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Create an account and a workspace it owns, and sign in',
        description: 'Someone invited by email signs up with that email to join the workspaces they were invited to.',
        security: [],
        body: z.object({ email, password, name: name('name').optional(), workspaceName: name('workspaceName').optional() }),
        response: { 201: signedIn, ...errors(400, 403, 409) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const passwordHash = await hashPassword(body.password);
      const result = await db.asSystem(async (tx) => {
        const existing = await findUserByEmail(tx, body.email);
        const invited = existing && existing.passwordHash === null && (await listWorkspacesOfUser(tx, existing.id)).length > 0;
        if (existing && !invited) throw new TributaryError('email_taken');
        if (!existing && !settings.signupEnabled) throw new TributaryError('signup_disabled');
        const user = existing ? await activateUser(tx, existing.id, { name: body.name ?? null, passwordHash }) : await createUser(tx, { email: body.email, name: body.name ?? null, passwordHash });
        const workspace =
          existing && !body.workspaceName
            ? await getWorkspace(tx, (await listWorkspacesOfUser(tx, user.id))[0]!.id)
            : await createWorkspace(tx, { name: body.workspaceName ?? `${body.name ?? body.email.split('@')[0]}'s workspace`, ownerId: user.id });
        await startSession(tx, reply, user.id, workspace?.id ?? null);
        return { user: presentUser(user), workspace: workspace ? presentWorkspace(workspace) : null };
      });
      request.log.info({ userId: result.user.id, workspaceId: result.workspace?.id }, 'user signed up');
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/auth/signin',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        security: [],
        body: z.object({ email, password: z.string({ message: 'is required' }).min(1, 'is required').max(200) }),
        response: { 200: signedIn, ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      const { email: address, password: given } = request.body;
      const user = await db.asSystem((tx) => findUserByEmail(tx, address));
      const ok = await verifyPassword(given, user?.passwordHash ?? (await decoyPasswordHash()));
      if (!user?.passwordHash || !ok) throw new TributaryError('invalid_credentials');
      return db.asSystem(async (tx) => {
        const first = (await listWorkspacesOfUser(tx, user.id))[0];
        await startSession(tx, reply, user.id, first?.id ?? null);
        return { user: presentUser(user), workspace: first ? presentWorkspace(first) : null };
      });
    },
  );

  app.post(
    '/auth/signout',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'End the session and clear its cookie', response: { 204: z.null(), ...errors(415) } },
    },
    async (request, reply) => {
      const token = request.cookies[sessionCookie];
      if (token) {
        await db.asSystem((tx) => deleteSessionByTokenHash(tx, hashToken(token)));
      }
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['auth'], summary: 'Who is calling, in which workspace, with which role', response: { 200: me, ...errors(401, 403) } },
    },
    async (request) => {
      const p = request.principal!;
      return db.asSystem(async (tx) => {
        const user = p.userId ? await getUser(tx, p.userId) : undefined;
        const workspace = p.workspaceId ? await getWorkspace(tx, p.workspaceId) : undefined;
        const workspaces = p.userId ? await listWorkspacesOfUser(tx, p.userId) : workspace && p.role ? [{ ...workspace, role: p.role }] : [];
        return {
          via: p.via,
          user: user ? presentUser(user) : null,
          workspace: workspace ? presentWorkspace(workspace) : null,
          role: p.role,
          workspaces: workspaces.map((w) => ({ ...presentWorkspace(w), role: w.role })),
        };
      });
    },
  );
}
