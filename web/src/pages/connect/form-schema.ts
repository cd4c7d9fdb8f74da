/**
 * The connect form, read from an auth method's JSON Schema (`{ config, secrets }`, as the catalog
 * gives it). Each field is keyed as the API names it in a validation error (`config.accountId`,
 * `secrets.token`), so a server message lands on its field. Values stay as typed: the API checks
 * and converts them (an integer typed as "42" is 42) and says what is wrong in its own words.
 */
export interface FormField {
  key: string;
  part: 'config' | 'secrets';
  name: string;
  title: string;
  description: string | undefined;
  type: 'string' | 'integer' | 'number' | 'boolean';
  /** Required by the schema; in sandbox mode the API supplies what is left out. */
  required: boolean;
  /** Write-only: a password input, never filled in from anything the API sent. */
  secret: boolean;
  format: string | undefined;
  pattern: string | undefined;
  defaultValue: string | undefined;
}

interface PropertySchema {
  type?: string;
  title?: string;
  description?: string;
  format?: string;
  pattern?: string;
  default?: unknown;
  writeOnly?: boolean;
}

interface ObjectSchema {
  properties?: Record<string, PropertySchema>;
  required?: string[];
}

/** `apiKey` → "API key", `connectionString` → "Connection string". */
function titleOf(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return (words.charAt(0).toUpperCase() + words.slice(1)).replace(/\bapi\b/gi, 'API').replace(/\burl\b/gi, 'URL');
}

function fieldsOf(part: FormField['part'], schema: ObjectSchema | undefined, titleOfOnly?: string): FormField[] {
  const entries = Object.entries(schema?.properties ?? {});
  return entries.map(([name, property]) => ({
    key: `${part}.${name}`,
    part,
    name,
    // A method with one secret names it best itself ("Private app access token").
    title: property.title ?? (entries.length === 1 && titleOfOnly ? titleOfOnly : titleOf(name)),
    description: property.description,
    type: property.type === 'integer' || property.type === 'number' || property.type === 'boolean' ? property.type : 'string',
    required: schema?.required?.includes(name) ?? false,
    secret: property.writeOnly === true,
    format: property.format,
    pattern: property.pattern,
    defaultValue: property.default === undefined ? undefined : String(property.default),
  }));
}

/**
 * The fields a person fills in for one auth method. OAuth's secrets are the provider's tokens,
 * never typed in; the account field is chosen after signing in.
 */
export function formFields(method: { method: string; label: string; formSchema: Record<string, unknown> }, accountsField: string | null): FormField[] {
  const parts = (method.formSchema as { properties?: { config?: ObjectSchema; secrets?: ObjectSchema } }).properties ?? {};
  const config = fieldsOf('config', parts.config).filter((f) => f.name !== accountsField);
  return method.method === 'oauth2' ? config : [...config, ...fieldsOf('secrets', parts.secrets, method.label)];
}

export type FormValues = Record<string, string>;

/**
 * What the schema alone says is wrong with a typed value, in the API's words, shown once the
 * person leaves the field; the API's own check still decides (and names what this cannot know).
 */
export function typedProblem(field: FormField, value: string): string | undefined {
  if (value === '' || field.secret) return undefined;
  if (field.type === 'integer' && !/^-?\d+$/.test(value.trim())) return 'must be a whole number';
  if (field.type === 'number' && !Number.isFinite(Number(value))) return 'must be a number';
  if (field.format === 'uri' && !/^https?:$/.test(URL.canParse(value) ? new URL(value).protocol : '')) return 'must be an http(s) URL';
  if (field.pattern && !new RegExp(field.pattern).test(value)) return 'does not have the form described above';
  return undefined;
}

export function initialValues(fields: FormField[], current: FormValues = {}): FormValues {
  return Object.fromEntries(fields.map((f) => [f.key, current[f.key] ?? f.defaultValue ?? '']));
}

/** The `config` and `secrets` of the body that creates or reconnects a connection; empty fields are left out. */
export function formBody(fields: FormField[], values: FormValues): { config: Record<string, unknown>; secrets?: Record<string, unknown> } {
  const config: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.key] ?? '';
    if (value === '') continue;
    (field.part === 'config' ? config : secrets)[field.name] = field.type === 'boolean' ? value === 'true' : value;
  }
  return Object.keys(secrets).length > 0 ? { config, secrets } : { config };
}
