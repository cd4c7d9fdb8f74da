import { useId, useState } from 'react';
import { typedProblem, type FormField, type FormValues } from './form-schema';

/**
 * The inputs of a connect form, one per schema field: its title as the label, its description as
 * help, a required mark, and the API's message for it under it. Secrets are password inputs the
 * browser is asked not to fill or remember.
 */
export function SchemaFields(props: { fields: FormField[]; values: FormValues; onChange: (values: FormValues) => void; errorOf: (key: string) => string | undefined; sandbox: boolean }) {
  const { fields, values, onChange, errorOf, sandbox } = props;
  if (fields.length === 0) return null;
  return (
    <>
      {fields.map((field) => (
        <SchemaField key={field.key} field={field} value={values[field.key] ?? ''} error={errorOf(field.key)} sandbox={sandbox} onChange={(value) => onChange({ ...values, [field.key]: value })} />
      ))}
    </>
  );
}

function SchemaField({ field, value, error: sent, sandbox, onChange }: { field: FormField; value: string; error: string | undefined; sandbox: boolean; onChange: (value: string) => void }) {
  const id = useId();
  const [left, setLeft] = useState(false);
  const error = sent ?? (left ? typedProblem(field, value) : undefined);
  // In sandbox mode the sandbox's own key and values stand in for what is left empty.
  const required = field.required && !sandbox;
  const help = [field.description, sandbox && field.secret ? 'Optional in sandbox mode: leave it empty to use the sandbox’s own test key.' : undefined].filter(Boolean).join(' ');
  const describedBy = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  if (field.type === 'boolean') {
    return (
      <label className="inline">
        <input type="checkbox" checked={value === 'true'} onChange={(e) => onChange(String(e.target.checked))} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
        {field.title}
        {help ? <span id={`${id}-help`} className="help"> {help}</span> : null}
        {error ? <span id={`${id}-error`} className="field-error"> {error}</span> : null}
      </label>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        <span>
          {field.title}
          {required ? (
            <span className="required-mark" aria-hidden="true">
              {' '}
              *
            </span>
          ) : (
            <span className="optional"> (optional)</span>
          )}
        </span>
      </label>
      <input
        id={id}
        name={field.key}
        type={field.secret ? 'password' : field.format === 'uri' ? 'url' : 'text'}
        inputMode={field.type === 'integer' ? 'numeric' : field.type === 'number' ? 'decimal' : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onBlur={() => setLeft(true)}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        autoComplete={field.secret ? 'new-password' : 'off'}
        spellCheck={false}
      />
      {help ? (
        <span id={`${id}-help`} className="help">
          {help}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
