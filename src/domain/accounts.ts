import type { Role } from './roles.js';

/** Accounts and tenancy as the rest of Tributary sees them (rows are mapped in store/). */
export interface User {
  id: string;
  email: string;
  name: string | null;
  createdAt: Date;
}

export interface Workspace {
  id: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface Member {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  /** False for someone invited who has not set a password or signed in through a provider yet. */
  active: boolean;
  joinedAt: Date;
}

export interface ApiKey {
  id: string;
  workspaceId: string;
  name: string;
  role: Role;
  hint: string;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Who is making a request, in which workspace, with which role, proven how. */
export interface Principal {
  via: 'session' | 'api_key' | 'jwt';
  /** API keys act for their workspace, not for a person. */
  userId: string | null;
  workspaceId: string | null;
  role: Role | null;
  sessionId?: string;
  apiKeyId?: string;
}
