/**
 * Quoting for SQL we build: table and column names come from connector ids, stream names, record
 * fields and users' tables, so they are always quoted, never trusted. Values travel as bound
 * parameters; the only literals are JSON paths inside DDL, where parameters cannot go.
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
