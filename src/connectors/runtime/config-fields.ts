import { z } from 'zod';
import { TributaryError } from '../../domain/errors.js';
import type { ConfigField, ConnectorDefinition } from './define.js';

/**
 * A definition's `config` fields (what the user enters besides secrets) as the two things the hub
 * needs: a JSON Schema for the connect form, and a check of the values a connection is created
 * with, whose failure names the field (`config.accountId: …`).
 */
export function configJsonSchema(definition: ConnectorDefinition): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(definition.config)) {
    properties[name] = {
      type: field.type,
      title: field.title,
      ...(field.description ? { description: field.description } : {}),
      ...(field.default !== undefined ? { default: field.default } : {}),
      ...(field.format ? { format: field.format } : {}),
      ...(field.pattern ? { pattern: field.pattern.regex } : {}),
    };
    if (field.required && field.default === undefined) required.push(name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

/**
 * Checks and normalises config values: unknown fields and wrong types are refused, defaults are
 * filled in. `requireAll: false` lets required fields be missing (a sandbox supplies them).
 */
export function checkConfig(definition: ConnectorDefinition, values: Record<string, unknown>, { requireAll }: { requireAll: boolean }): Record<string, unknown> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(definition.config)) {
    const base = fieldSchema(field);
    shape[name] = field.default !== undefined ? base.default(field.default) : field.required && requireAll ? base : base.optional();
  }
  const parsed = z.strictObject(shape).safeParse(values);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const fields = parsed.error.issues.map((issue) => {
    const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path.map(String).join('.');
    const message = issue.code === 'unrecognized_keys' ? `is not a config field of ${definition.name}` : issue.message;
    return { field: `config.${key ?? ''}`, message };
  });
  throw new TributaryError('validation_failed', `${fields[0]!.field}: ${fields[0]!.message}`, { details: { fields } });
}

function fieldSchema(field: ConfigField): z.ZodType {
  switch (field.type) {
    case 'integer':
      // Form inputs often arrive as strings: "42" is accepted as 42.
      return z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number');
    case 'boolean':
      return z.boolean({ message: 'must be true or false' });
    case 'string': {
      if (field.format === 'uri') return z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });
      const text = z.string({ message: 'must be text' }).min(field.required ? 1 : 0, 'must not be empty');
      return field.pattern ? text.regex(new RegExp(field.pattern.regex), field.pattern.message) : text;
    }
  }
}
