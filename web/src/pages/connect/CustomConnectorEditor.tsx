import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, ApiError, unwrap, type Schemas } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { parseDefinitionText, useDefinitionCheck, type DefinitionCheck, type DefinitionIssue } from './useDefinitionCheck';

/** Where a new definition starts: the smallest one that passes, to be changed into the real API. */
const starter = `{
  "id": "my_api",
  "name": "My API",
  "category": "crm",
  "description": "Contacts from my API.",
  "docs": "https://example.com/docs",
  "baseUrl": "https://api.example.com",
  "auth": [{ "method": "api_key", "name": "X-Api-Key" }],
  "streams": {
    "contacts": {
      "request": { "path": "/contacts" },
      "records": "results",
      "primaryKey": "id",
      "paginate": { "style": "cursor", "next": "next", "sendAs": "after" }
    }
  }
}
`;

/**
 * A workspace's own REST connector, written as a JSON definition and checked as it is typed: every
 * issue with the field it is about. Saving adds it to the catalog (`POST /connectors`).
 */
export function CustomConnectorEditor({ onClose, onSaved }: { onClose: () => void; onSaved: (connector: Schemas['Connector']) => void }) {
  const id = useId();
  const [text, setText] = useState(starter);
  const check = useDefinitionCheck(text);
  const save = useMutation({
    mutationFn: async () => {
      const parsed = parseDefinitionText(text);
      if (!parsed.ok) throw new Error(`Not saved: ${parsed.issue.field}: ${parsed.issue.message}`);
      return unwrap(api.POST('/api/v1/connectors', { body: parsed.definition }));
    },
    onSuccess: onSaved,
  });
  const refused = save.error instanceof ApiError ? ((save.error.details as { fields?: DefinitionIssue[] } | undefined)?.fields ?? null) : null;

  return (
    <Dialog
      title="New custom connector"
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={() => {
              if (!save.isPending) save.mutate();
            }} aria-disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save connector'}
          </button>
        </>
      }
    >
      <div className="stack">
        <p>
          Describe a REST API Tributary has no connector for: its base URL, how it signs in, and the streams to read (path, where the records sit, their key, how pages follow). It is checked as you type, by
          the same rules as saving.
        </p>
        <div className="field">
          <label htmlFor={`${id}-definition`}>Definition (JSON)</label>
          <textarea
            id={`${id}-definition`}
            className="definition-editor"
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
            rows={20}
            aria-describedby={`${id}-check`}
            aria-invalid={check.state === 'invalid' ? true : undefined}
          />
        </div>
        <DefinitionIssues id={`${id}-check`} check={check} />
        {refused ? <DefinitionIssues id={`${id}-refused`} check={{ state: 'invalid', issues: refused }} title="Not saved:" /> : <ErrorMessage error={save.error} />}
      </div>
    </Dialog>
  );
}

/** The verdict on a definition, kept up to date for screen readers: valid, or each issue with its field. */
function DefinitionIssues({ id, check, title }: { id: string; check: DefinitionCheck; title?: string }) {
  return (
    <div id={id} className="definition-check" aria-live="polite">
      {check.state === 'checking' ? (
        <p className="muted">Checking…</p>
      ) : check.state === 'valid' ? (
        <p className="definition-valid">
          <span aria-hidden="true">✓ </span>The definition is valid.
        </p>
      ) : check.state === 'failed' ? (
        <ErrorMessage error={check.error} title="The definition could not be checked." />
      ) : (
        <div className="definition-issues">
          <p>
            <span aria-hidden="true">✕ </span>
            <strong>{title ?? (check.issues.length === 1 ? '1 issue:' : `${check.issues.length} issues:`)}</strong>
          </p>
          <ul>
            {check.issues.map((issue) => (
              <li key={`${issue.field}:${issue.message}`}>
                <code>{issue.field}</code> {issue.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
