import { lazy, Suspense } from 'react';
import { Redirect, Route, Switch } from 'wouter';
import { SignInPage } from './auth/SignInPage';
import { useMe } from './auth/session';
import { ErrorMessage } from './components/ErrorMessage';
import { Layout } from './components/Layout';
import { Loading } from './components/Loading';
import { IntegrationsPage } from './pages/integrations/IntegrationsPage';

// The data hub carries the charts (recharts): loaded when it is opened, not with the first page.
const DataHubPage = lazy(() => import('./pages/data/DataHubPage').then((m) => ({ default: m.DataHubPage })));
const ConnectionPage = lazy(() => import('./pages/connection/ConnectionPage').then((m) => ({ default: m.ConnectionPage })));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })));

/** Signed out: the sign-in and sign-up pages. Signed in: the workspace's pages inside the layout. */
export function App() {
  const me = useMe();
  if (me.isPending) return <Loading label="Starting Tributary" />;
  if (me.error) return <ErrorMessage error={me.error} title="Tributary could not start." />;
  if (!me.data) {
    return (
      <Switch>
        <Route path="/signup">
          <SignInPage mode="signup" />
        </Route>
        <Route path="/signin">
          <SignInPage mode="signin" />
        </Route>
        <Route>
          <Redirect to="/signin" />
        </Route>
      </Switch>
    );
  }
  return (
    <Layout me={me.data}>
      <Suspense fallback={<Loading />}>
        <Switch>
          <Route path="/integrations" component={IntegrationsPage} />
          <Route path="/connections/:id">{(params) => <ConnectionPage id={params.id} />}</Route>
          <Route path="/data" nest>
            <DataHubPage />
          </Route>
          <Route path="/settings" component={SettingsPage} />
          <Route>
            <Redirect to="/integrations" />
          </Route>
        </Switch>
      </Suspense>
    </Layout>
  );
}
