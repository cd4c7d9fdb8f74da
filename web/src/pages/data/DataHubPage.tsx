import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { PageHeading } from '../../components/PageHeading';
import { OverviewView } from './OverviewView';
import { TablesView } from './TablesView';
import { TableView } from './TableView';

const views = [
  { href: '/', label: 'Overview', current: (path: string) => path === '/' },
  { href: '/tables', label: 'Tables', current: (path: string) => path.startsWith('/tables') },
];

/**
 * The data hub (mounted at /data with `nest`, so paths here are relative): the overview of KPIs,
 * charts and insights, and the table explorer.
 */
export function DataHubPage() {
  const [location] = useLocation();
  return (
    <div className="stack data-hub">
      <PageHeading>Data hub</PageHeading>
      <nav aria-label="Data hub views" className="view-tabs">
        <ul>
          {views.map((view) => (
            <li key={view.href}>
              <Link href={view.href} aria-current={view.current(location) ? 'page' : undefined}>
                {view.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Switch>
        <Route path="/" component={OverviewView} />
        <Route path="/tables" component={TablesView} />
        <Route path="/tables/:name">{(params) => <TableView key={params.name} name={decodeURIComponent(params.name)} />}</Route>
        <Route>
          <Redirect to="/" />
        </Route>
      </Switch>
    </div>
  );
}
