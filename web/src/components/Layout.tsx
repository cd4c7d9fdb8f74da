import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { api, unwrap } from '../api/client';
import { useSessionChanged, type Me } from '../auth/session';
import { ErrorMessage } from './ErrorMessage';

const sections = [
  { href: '/integrations', label: 'Integrations' },
  { href: '/data', label: 'Data hub' },
  { href: '/settings', label: 'Settings' },
];

/** The frame around every signed-in page: where you are, which workspace, and the way out. */
export function Layout({ me, children }: { me: Me; children: ReactNode }) {
  const [location] = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/integrations" className="brand" aria-label="Tributary home">
          Tributary
        </Link>
        <nav aria-label="Main">
          <ul>
            {sections.map((s) => (
              <li key={s.href}>
                <Link href={s.href} aria-current={location.startsWith(s.href) ? 'page' : undefined}>
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-end">
          <WorkspaceSwitcher me={me} />
          <SignOut email={me.user?.email ?? ''} />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

function WorkspaceSwitcher({ me }: { me: Me }) {
  const changed = useSessionChanged();
  const switchTo = useMutation({ mutationFn: (id: string) => unwrap(api.POST('/api/v1/workspaces/{id}/switch', { params: { path: { id } } })), onSuccess: changed });
  if (me.workspaces.length === 0) return null;
  return (
    <div className="switcher">
      <label htmlFor="workspace-switcher" className="visually-hidden">
        Workspace
      </label>
      <select id="workspace-switcher" value={me.workspace?.id ?? ''} onChange={(e) => switchTo.mutate(e.target.value)} disabled={switchTo.isPending}>
        {me.workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name} ({w.role})
          </option>
        ))}
      </select>
      <ErrorMessage error={switchTo.error} />
    </div>
  );
}

function SignOut({ email }: { email: string }) {
  const changed = useSessionChanged();
  const [, navigate] = useLocation();
  const signOut = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/signout')),
    onSuccess: async () => {
      navigate('/signin');
      await changed();
    },
  });
  return (
    <button type="button" className="link-button" onClick={() => signOut.mutate()} title={email}>
      Sign out
    </button>
  );
}
