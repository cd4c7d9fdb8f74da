import { z } from 'zod';

/**
 * Plain-words messages for zod's commonest issues (a missing or wrongly typed value, a number out
 * of range, an unknown option or field), so a 400 reads `secrets.token: is required` instead of
 * `Invalid input: expected string, received undefined`. Messages a schema states itself win.
 * zod keeps this setting globally; the modules that validate outside input import this file.
 */
const nouns: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

z.config({
  customError: (issue) => {
    switch (issue.code) {
      case 'invalid_type':
        return issue.input === undefined ? 'is required' : `must be ${nouns[issue.expected] ?? issue.expected}`;
      case 'too_small':
        return issue.origin === 'number' ? `must be ${issue.inclusive ? 'at least' : 'greater than'} ${String(issue.minimum)}` : undefined;
      case 'too_big':
        return issue.origin === 'number' ? `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}` : undefined;
      case 'invalid_value':
        return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      case 'unrecognized_keys':
        return `has ${issue.keys.length > 1 ? 'fields' : 'a field'} it does not know: ${issue.keys.join(', ')}`;
      default:
        return undefined;
    }
  },
});
