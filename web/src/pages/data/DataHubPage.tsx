export function DataHubPage() {
  return <h1>Data hub</h1>;
}
