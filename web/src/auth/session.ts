import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, unwrap, type Schemas } from '../api/client';

export type Me = Schemas['Me'];

/** Who is signed in, and in which workspace; `null` when nobody is (the API answered 401). */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Me | null> => {
      try {
        return await unwrap(api.GET('/api/v1/auth/me'));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** After signing in or out, or switching workspace, every answer may differ: start again from `me`. */
export function useSessionChanged() {
  const queries = useQueryClient();
  return async () => {
    queries.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
    await queries.invalidateQueries({ queryKey: ['me'] });
  };
}

const rank = { viewer: 0, member: 1, admin: 2, owner: 3 } as const;

/** Whether the caller's role is at least `role` (controls they may not use are not shown enabled). */
export function hasRole(me: Me | null | undefined, role: keyof typeof rank): boolean {
  return me?.role ? rank[me.role] >= rank[role] : false;
}
