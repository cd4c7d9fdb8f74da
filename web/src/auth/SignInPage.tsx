import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client';
import { ErrorMessage } from '../components/ErrorMessage';
import { useSessionChanged } from './session';

/** Sign in with email and password, or (`mode="signup"`) create an account with its first workspace. */
export function SignInPage({ mode }: { mode: 'signin' | 'signup' }) {
  const changed = useSessionChanged();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [workspaceName, setWorkspaceName] = useState('');
  const submit = useMutation({
    mutationFn: () =>
      mode === 'signup'
        ? unwrap(api.POST('/api/v1/auth/signup', { body: { email, password, ...(name ? { name } : {}), ...(workspaceName ? { workspaceName } : {}) } }))
        : unwrap(api.POST('/api/v1/auth/signin', { body: { email, password } })),
    onSuccess: changed,
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate();
  };
  const signup = mode === 'signup';
  return (
    <main className="auth-page">
      <form className="card auth-card" onSubmit={onSubmit} aria-labelledby="auth-title">
        <p className="brand-large" aria-hidden="true">
          Tributary
        </p>
        <h1 id="auth-title">{signup ? 'Create your account' : 'Sign in'}</h1>
        {signup ? (
          <label>
            Your name <span className="optional">(optional)</span>
            <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
          </label>
        ) : null}
        <label>
          Email
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" required />
        </label>
        <label>
          Password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete={signup ? 'new-password' : 'current-password'} minLength={signup ? 10 : undefined} required />
          {signup ? <span className="help">At least 10 characters.</span> : null}
        </label>
        {signup ? (
          <label>
            Workspace name <span className="optional">(optional)</span>
            <input value={workspaceName} onChange={(e) => setWorkspaceName(e.target.value)} placeholder="Acme marketing" />
          </label>
        ) : null}
        <ErrorMessage error={submit.error} />
        <button type="submit" className="primary" disabled={submit.isPending}>
          {submit.isPending ? 'Please wait…' : signup ? 'Create account' : 'Sign in'}
        </button>
        <p className="muted">
          {signup ? (
            <>
              Have an account? <Link href="/signin">Sign in</Link>
            </>
          ) : (
            <>
              New here? <Link href="/signup">Create an account</Link>
            </>
          )}
        </p>
      </form>
    </main>
  );
}
