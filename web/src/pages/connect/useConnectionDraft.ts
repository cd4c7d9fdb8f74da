import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';

type Connection = Schemas['Connection'];
type ConnectionTest = Schemas['ConnectionTest'];

export interface DraftInput {
  authMethod: string;
  mode: 'sandbox' | 'live';
  name: string;
  config: Record<string, unknown>;
  secrets?: Record<string, unknown>;
}

export type DraftAction = 'test' | 'save' | 'signIn';
type Outcome = { kind: 'tested'; test: ConnectionTest } | { kind: 'saved'; connection: Connection } | { kind: 'signingIn' };

const signatureOf = (input: DraftInput) => JSON.stringify([input.authMethod, input.mode, input.config, input.secrets ?? null]);

/**
 * The API creates a connection before it can test it; the wizard makes that one step. The first
 * test creates the connection (`configuring`) and tests it; a test with changed values reconnects
 * it with them; a change of method or mode starts a new one. Save keeps it, testing first when
 * these values were not tested (a failure then stays on screen, and a second Save keeps it as it
 * is). Cancel deletes what the wizard created. OAuth creates it and sends the browser to sign in.
 */
export function useConnectionDraft(connectorId: string, onSaved: (connection: Connection) => void) {
  const [draft, setDraft] = useState<{ id: string; authMethod: string; mode: string } | null>(null);
  const [tested, setTested] = useState<{ test: ConnectionTest; signature: string } | null>(null);

  const create = async (input: DraftInput) => {
    const created = await unwrap(
      api.POST('/api/v1/connections', {
        body: { connectorId, mode: input.mode, authMethod: input.authMethod, config: input.config, ...(input.name.trim() ? { name: input.name.trim() } : {}), ...(input.secrets ? { secrets: input.secrets } : {}) },
      }),
    );
    setDraft({ id: created.id, authMethod: input.authMethod, mode: input.mode });
    return created;
  };
  const remove = (id: string) => unwrap(api.DELETE('/api/v1/connections/{id}', { params: { path: { id } } }));

  const runTest = async (input: DraftInput): Promise<ConnectionTest> => {
    let current = draft;
    if (current && (current.authMethod !== input.authMethod || current.mode !== input.mode)) {
      await remove(current.id);
      current = null;
      setDraft(null);
    }
    const test = current
      ? await unwrap(api.POST('/api/v1/connections/{id}/reconnect', { params: { path: { id: current.id } }, body: { config: input.config, ...(input.secrets ? { secrets: input.secrets } : {}) } }))
      : await unwrap(api.POST('/api/v1/connections/{id}/test', { params: { path: { id: (await create(input)).id } } }));
    setTested({ test, signature: signatureOf(input) });
    return test;
  };

  const save = async (input: DraftInput): Promise<Outcome> => {
    const seen = tested?.signature === signatureOf(input) ? tested.test : undefined;
    const test = seen ?? (await runTest(input));
    if (!seen && !test.ok) return { kind: 'tested', test };
    const name = input.name.trim();
    if (!name || name === test.connection.name) return { kind: 'saved', connection: test.connection };
    const renamed = await unwrap(api.PATCH('/api/v1/connections/{id}', { params: { path: { id: test.connection.id } }, body: { name } }));
    return { kind: 'saved', connection: renamed };
  };

  const step = useMutation({
    mutationFn: async ({ action, input }: { action: DraftAction; input: DraftInput }): Promise<Outcome> => {
      if (action === 'test') return { kind: 'tested', test: await runTest(input) };
      if (action === 'save') return save(input);
      // A connection tested with another method gives way to the one signing in.
      if (draft) await remove(draft.id);
      const created = await create(input);
      window.location.assign(oauthStartUrl(connectorId, created.id));
      return { kind: 'signingIn' };
    },
    onSuccess: (outcome) => {
      if (outcome.kind === 'saved') onSaved(outcome.connection);
    },
  });

  const cancel = useMutation({
    mutationFn: async () => {
      if (draft) await remove(draft.id);
    },
  });

  return {
    run: (action: DraftAction, input: DraftInput) => step.mutate({ action, input }),
    /** What is under way: buttons wait, and say so. After sign-in starts, the page is leaving. */
    busy: cancel.isPending ? 'cancel' : step.isPending || step.data?.kind === 'signingIn' ? (step.variables?.action ?? null) : null,
    error: step.error ?? cancel.error,
    lastTest: tested?.test ?? null,
    /** Whether the values on screen are the ones last tested (a failed test then makes Save keep it as it is). */
    testedAsIs: (input: DraftInput) => tested?.signature === signatureOf(input),
    cancel: (then: () => void) => cancel.mutate(undefined, { onSuccess: then }),
  };
}

/**
 * Where the browser goes to sign a connection in with OAuth. The hub sends it to the provider (in
 * sandbox mode, the sandbox's consent page), and back to `returnTo` with `connection=<id>` and
 * `oauth=connected` or `oauth=error`: the integrations page, which opens the account step. The hub
 * accepts a `returnTo` on its own origin (or one the operator registered), which this app is.
 */
export function oauthStartUrl(connectorId: string, connectionId: string): string {
  const returnTo = `${window.location.origin}/integrations`;
  return `/api/v1/oauth/${encodeURIComponent(connectorId)}/start?${new URLSearchParams({ connectionId, returnTo })}`;
}
