import { useId, useState, type FormEvent } from 'react';
import { ApiError, type Schemas } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { accountsTitleOf, categoryLabel, kindLabel, type Connector } from '../integrations/catalog';
import { ConnectorIcon } from '../integrations/IntegrationCards';
import { formBody, formFields, initialValues, type FormValues } from './form-schema';
import { SchemaFields } from './SchemaFields';
import { TestResult } from './TestResult';
import { useConnectionDraft, type DraftInput } from './useConnectionDraft';

const busyLabels = { test: 'Testing…', save: 'Saving…', signIn: 'Opening the sign-in page…', cancel: 'Removing…' } as const;

/**
 * Connecting one connector, in one dialog: how to sign in (its auth methods), sandbox or live, the
 * form its schema asks for, a test with its verdict, save. OAuth methods go to the provider and
 * come back to the account step (SignInReturn).
 */
export function ConnectWizard({ connector, onClose, onSaved }: { connector: Connector; onClose: () => void; onSaved: (connection: Schemas['Connection']) => void }) {
  const formId = useId();
  const [methodName, setMethodName] = useState(connector.authMethods[0]!.method);
  const method = connector.authMethods.find((m) => m.method === methodName) ?? connector.authMethods[0]!;
  const fields = formFields(method, connector.accountsField);
  const [mode, setMode] = useState<'sandbox' | 'live'>(connector.sandbox ? 'sandbox' : 'live');
  const [name, setName] = useState('');
  const [typed, setTyped] = useState<FormValues>({});
  const values = initialValues(fields, typed);
  const draft = useConnectionDraft(connector.id, onSaved);
  const input: DraftInput = { authMethod: method.method, mode, name, ...formBody(fields, values) };
  const oauth = method.method === 'oauth2';
  const failedAsIs = draft.testedAsIs(input) && draft.lastTest?.ok === false;
  const fieldError = (key: string) => (draft.error instanceof ApiError ? draft.error.fieldMessage(key) : undefined);
  const busy = draft.busy !== null;
  const close = () => {
    if (!busy) draft.cancel(onClose);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) draft.run(oauth ? 'signIn' : 'save', input);
  };
  const accountsTitle = accountsTitleOf(connector);

  return (
    <Dialog
      title={`Connect ${connector.name}`}
      onClose={close}
      footer={
        <>
          {/* Buttons stay focusable while a request runs (aria-disabled), so the keyboard keeps its place. */}
          <button type="button" onClick={close} aria-disabled={busy}>
            {draft.busy === 'cancel' ? busyLabels.cancel : 'Cancel'}
          </button>
          {oauth ? null : (
            <button type="button" onClick={() => {
                if (!busy) draft.run('test', input);
              }} aria-disabled={busy}>
              {draft.busy === 'test' ? busyLabels.test : 'Test connection'}
            </button>
          )}
          <button type="submit" form={formId} className="primary" aria-disabled={busy}>
            {draft.busy === 'save' || draft.busy === 'signIn' ? busyLabels[draft.busy] : oauth ? method.label : failedAsIs ? 'Save anyway' : 'Save'}
          </button>
        </>
      }
    >
      <form id={formId} className="stack connect-form" onSubmit={submit} noValidate>
        <div className="integration-head">
          <ConnectorIcon name={connector.name} svg={connector.iconSvg} />
          <div>
            <p className="connect-about">{connector.description}</p>
            <p className="muted integration-sub">
              {kindLabel(connector.kind)} · {categoryLabel(connector.category)} ·{' '}
              <a href={connector.docs} target="_blank" rel="noreferrer">
                {connector.name} documentation<span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            </p>
          </div>
        </div>
        {connector.authMethods.length > 1 ? (
          <fieldset className="choices">
            <legend>How to connect</legend>
            {connector.authMethods.map((m) => (
              <label key={m.method} className="inline choice">
                <input type="radio" name={`${formId}-method`} value={m.method} checked={m.method === method.method} onChange={() => setMethodName(m.method)} />
                {m.label}
              </label>
            ))}
          </fieldset>
        ) : null}
        <ModeChoice connector={connector} mode={mode} onChange={setMode} error={fieldError('mode')} />
        <div className="field">
          <label htmlFor={`${formId}-name`}>
            <span>
              Connection name <span className="optional">(optional)</span>
            </span>
          </label>
          <input id={`${formId}-name`} value={name} onChange={(e) => setName(e.target.value)} placeholder={`${connector.name}${mode === 'sandbox' ? ' (sandbox)' : ''}`} autoComplete="off" />
          {fieldError('name') ? <span className="field-error">{fieldError('name')}</span> : null}
        </div>
        <SchemaFields fields={fields} values={values} onChange={setTyped} errorOf={fieldError} sandbox={mode === 'sandbox'} />
        {oauth ? (
          <p className="notice">
            {method.label} opens {mode === 'sandbox' ? `the ${connector.name} sandbox’s consent page` : `${connector.name}’s consent page`}; once you allow access you come back here
            {accountsTitle ? ` to choose the ${accountsTitle} to sync` : ''}.
          </p>
        ) : null}
        {draft.lastTest ? <TestResult outcome={draft.lastTest} name={connector.name} /> : null}
        {failedAsIs ? <p className="help">Save keeps the connection as it is, with this error; fix it later on its page, or change the values and test again.</p> : null}
        <ErrorMessage error={draft.error} />
      </form>
    </Dialog>
  );
}

/**
 * Sandbox or live. Sandbox comes first and chosen where the connector has one: seeded test data,
 * labelled sandbox wherever it shows. A mode this hub or connector does not offer stays visible,
 * disabled, with the reason.
 */
function ModeChoice({ connector, mode, onChange, error }: { connector: Connector; mode: 'sandbox' | 'live'; onChange: (mode: 'sandbox' | 'live') => void; error: string | undefined }) {
  const choices = [
    {
      mode: 'sandbox' as const,
      label: 'Sandbox',
      help: connector.sandbox ? `Tributary’s stand-in for ${connector.name}, with seeded test data; everything it syncs is labelled sandbox.` : `${connector.name} has no sandbox: connect it live.`,
      offered: connector.sandbox,
    },
    {
      mode: 'live' as const,
      label: 'Live',
      help: connector.live ? `Your real ${connector.name} account.` : 'Live mode is switched off for this connector on this hub; ask the operator.',
      offered: connector.live,
    },
  ];
  return (
    <fieldset className="choices">
      <legend>Mode</legend>
      {choices.map((choice) => (
        <label key={choice.mode} className="inline choice">
          <input type="radio" name="connect-mode" value={choice.mode} checked={mode === choice.mode} disabled={!choice.offered} onChange={() => onChange(choice.mode)} />
          <span className="choice-text">
            <strong>{choice.label}</strong>
            <span className="help">{choice.help}</span>
          </span>
        </label>
      ))}
      {error ? <p className="field-error">{error}</p> : null}
    </fieldset>
  );
}
