import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';

/**
 * The accounts a sign-in can see (GA4 properties, ad accounts, LinkedIn Pages), as checkboxes
 * grouped as the provider groups them; the choice is kept with PUT, in the connection's config.
 */
export function AccountPicker({ connectionId, title, onSaved }: { connectionId: string; title: string; onSaved: (count: number) => void }) {
  const accounts = useQuery({
    queryKey: ['connection', connectionId, 'accounts'],
    queryFn: () => unwrap(api.GET('/api/v1/connections/{id}/accounts', { params: { path: { id: connectionId } } })),
  });
  const [chosen, setChosen] = useState<string[] | null>(null);
  const save = useMutation({
    mutationFn: (ids: string[]) => unwrap(api.PUT('/api/v1/connections/{id}/accounts', { params: { path: { id: connectionId } }, body: { ids } })),
    onSuccess: (answer) => onSaved(answer.selected.length),
  });
  if (accounts.isPending) return <Loading label={`Asking which ${title} this sign-in can see`} />;
  if (accounts.error) return <ErrorMessage error={accounts.error} title={`The ${title} could not be listed.`} />;
  const { accounts: list } = accounts.data;
  if (list.length === 0) return <p className="empty">This sign-in sees no {title}. Sign in again with an account that has some.</p>;

  const selected = chosen ?? accounts.data.selected;
  const groups = new Map<string, typeof list>();
  for (const account of list) groups.set(account.group ?? '', [...(groups.get(account.group ?? '') ?? []), account]);
  const toggle = (id: string, on: boolean) => setChosen(on ? [...selected, id] : selected.filter((s) => s !== id));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!save.isPending) save.mutate(selected);
  };

  return (
    <form className="stack" onSubmit={submit}>
      <h3>Choose the {title} to sync</h3>
      {[...groups].map(([group, members]) => (
        <fieldset key={group} className="choices">
          <legend>{group || title}</legend>
          {members.map((account) => (
            <label key={account.id} className="inline choice">
              <input type="checkbox" checked={selected.includes(account.id)} onChange={(e) => toggle(account.id, e.target.checked)} />
              <span>
                {account.name} <span className="muted mono">{account.id}</span>
              </span>
            </label>
          ))}
        </fieldset>
      ))}
      <p className="help" aria-live="polite">
        {selected.length === 0 ? `Choose at least one of the ${list.length}.` : `${selected.length} of ${list.length} chosen.`}
      </p>
      <ErrorMessage error={save.error} />
      <div className="row">
        <button type="submit" className="primary" aria-disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save choice'}
        </button>
      </div>
    </form>
  );
}
