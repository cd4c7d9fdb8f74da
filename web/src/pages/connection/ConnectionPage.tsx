export function ConnectionPage({ id }: { id: string }) {
  return <h1>Connection {id}</h1>;
}
