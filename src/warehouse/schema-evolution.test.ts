import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnType, StreamTable } from './destination.js';
import { columnName, inferType, isInstant, pathFromText, pathText, planColumns, widen, type ExistingColumn } from './schema-evolution.js';

const types: ColumnType[] = ['boolean', 'integer', 'number', 'timestamp', 'string', 'json'];
const type = fc.option(fc.constantFrom(...types), { nil: undefined });
const contacts: StreamTable = { name: 'crm_contacts', primaryKey: ['id'] };
const none = new Map<string, ExistingColumn>();

describe('columnName', () => {
  it.each([
    ['createdAt', 'created_at'],
    ['hs_object_id', 'hs_object_id'],
    ['First Name', 'first_name'],
    ['userID', 'user_id'],
    ['a"; DROP TABLE x; --', 'a_drop_table_x_'],
    ['2fa', '_2fa'],
    ['Prénom', 'pr_nom'],
    ['', '_field'],
    ['___', '_field'],
    ['x'.repeat(80), 'x'.repeat(63)],
  ])('%j → %j', (key, name) => {
    expect(columnName(key)).toBe(name);
  });

  it('always gives a lower snake case name of at most 63 characters that does not start with a digit', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (key) => {
      expect(columnName(key)).toMatch(/^[a-z_][a-z0-9_]{0,62}$/);
    }));;
  });
});

describe('inferType', () => {
  it.each([
    [true, 'boolean'],
    [42, 'integer'],
    [-0, 'integer'],
    [2 ** 53, 'number'],
    [1.5, 'number'],
    ['2026-01-02T03:04:05Z', 'timestamp'],
    ['2026-01-02T03:04:05.123456+05:30', 'timestamp'],
    ['2024-02-29T00:00:00Z', 'timestamp'],
    ['2026-01-02', 'string'],
    ['2026-01-02 03:04:05Z', 'string'],
    ['2026-01-02T03:04:05.1234567Z', 'string'],
    ['2023-02-29T00:00:00Z', 'string'],
    ['2026-13-01T00:00:00Z', 'string'],
    ['2026-01-01T24:00:00Z', 'string'],
    ['2026-01-01T00:00:60Z', 'string'],
    ['0000-01-01T00:00:00Z', 'string'],
    ['2026-01-01T00:00:00+15:00', 'string'],
    ['42', 'string'],
    [{ a: 1 }, 'json'],
    [[1], 'json'],
    [null, undefined],
    [undefined, undefined],
  ])('%j → %s', (value, expected) => {
    expect(inferType(value)).toBe(expected);
  });

  it('calls a string an instant only when JavaScript reads the same instant from it', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
        expect(isInstant(date.toISOString())).toBe(true);
      }),
    );
  });
});

describe('widen', () => {
  it('is commutative, associative and idempotent, with undefined as its identity and json absorbing everything', () => {
    fc.assert(
      fc.property(type, type, type, (a, b, c) => {
        expect(widen(a, b)).toBe(widen(b, a));
        expect(widen(widen(a, b), c)).toBe(widen(a, widen(b, c)));
        expect(widen(a, a)).toBe(a);
        expect(widen(a, undefined)).toBe(a);
        if (a !== undefined) expect(widen(a, 'json')).toBe('json');
      }),
    );
  });

  it.each([
    ['integer', 'number', 'number'],
    ['timestamp', 'string', 'string'],
    ['boolean', 'integer', 'string'],
    ['timestamp', 'number', 'string'],
    ['boolean', 'json', 'json'],
  ] as const)('%s + %s → %s', (a, b, expected) => {
    expect(widen(a, b)).toBe(expected);
  });

  it('only ever moves up: the result is never narrower than either side', () => {
    fc.assert(fc.property(fc.constantFrom(...types), fc.constantFrom(...types), (a, b) => {
      expect(widen(widen(a, b), a)).toBe(widen(a, b));
    }));
  });
});

describe('planColumns', () => {
  it('plans the key as text, then each field at the type its values ask for; a field seen only as null waits', () => {
    const plan = planColumns(contacts, [{ id: 5, n: 1, when: '2026-01-01T00:00:00Z', note: null }, { id: 6, n: 2.5 }], none);
    expect(plan.columns.map((c) => [c.name, c.type, c.key, c.path])).toEqual([
      ['id', 'string', true, ['id']],
      ['n', 'number', false, ['n']],
      ['when', 'timestamp', false, ['when']],
    ]);
    expect(plan.changes.map((c) => [c.column, c.from, c.to])).toEqual([
      ['id', undefined, 'string'],
      ['n', undefined, 'number'],
      ['when', undefined, 'timestamp'],
    ]);
  });

  it('widens an existing column and never narrows one; the key column never changes', () => {
    const existing = new Map<string, ExistingColumn>([
      ['id', { type: 'string', path: ['id'] }],
      ['n', { type: 'integer', path: ['n'] }],
      ['s', { type: 'string', path: ['s'] }],
    ]);
    const plan = planColumns(contacts, [{ id: { weird: true }, n: 1.5, s: 3 }], existing);
    expect(plan.changes).toEqual([{ column: 'n', from: 'integer', to: 'number', path: ['n'] }]);
    expect(plan.columns.find((c) => c.name === 's')?.type).toBe('string');
  });

  it('counts records without their key (or not objects) in one warning, and learns nothing from them', () => {
    const plan = planColumns(contacts, [{ id: 1 }, { other: 1 }, { id: null, other: 2 }, 'x', [1]], none);
    expect(plan.skipped).toBe(4);
    expect(plan.warnings).toEqual(['4 record(s) without a value for the key (id) were not written.']);
    expect(plan.columns.map((c) => c.name)).toEqual(['id']);
  });

  it('says whether two records of a batch share a key, comparing keys as the text they are stored as', () => {
    expect(planColumns(contacts, [{ id: 1 }, { id: 2 }, { id: 'x' }], none).repeatedKeys).toBe(false);
    expect(planColumns(contacts, [{ id: 1 }, { id: '1' }], none).repeatedKeys).toBe(true);
    expect(planColumns(contacts, [{ id: 'a' }, { id: null }, { id: 'a' }], none).repeatedKeys).toBe(true);
  });

  it('gives a clashing name to the first field with a value, and to a top-level field over a nested one', () => {
    const table: StreamTable = { name: 't', primaryKey: ['id'], columnsAt: 'properties' };
    const plan = planColumns(table, [{ id: 1, firstName: null, properties: { email: 'n@x.io' } }, { id: 2, first_name: 'b', firstName: 'a', email: 't@x.io', _raw: 1 }], none);
    expect(plan.columns.map((c) => `${c.name}=${c.path.join('.')}`)).toEqual(['id=id', 'first_name=first_name', 'email=email']);
    expect(plan.warnings).toEqual([
      'Field "firstName" is kept in _raw only: column first_name holds "first_name".',
      'Field "_raw" is kept in _raw only: _raw is one of Tributary\'s own columns.',
      'Field "properties.email" is kept in _raw only: column email holds "email".',
    ]);
  });

  it('keeps a name with the field that claimed it in an earlier batch', () => {
    const existing = new Map<string, ExistingColumn>([['first_name', { type: 'string', path: ['firstName'] }]]);
    const plan = planColumns(contacts, [{ id: 1, first_name: 'x' }], existing);
    expect(plan.changes).toEqual([{ column: 'id', to: 'string', path: ['id'] }]);
    expect(plan.columns.find((c) => c.name === 'first_name')).toMatchObject({ path: ['firstName'], present: false });
  });

  it('moves a name from a nested field to a top-level one, at the top-level values\' type', () => {
    const table: StreamTable = { name: 't', primaryKey: [], columnsAt: 'p' };
    const existing = new Map<string, ExistingColumn>([['score', { type: 'number', path: ['p', 'score'] }]]);
    const plan = planColumns(table, [{ score: 2, p: { score: 2.5 } }], existing);
    expect(plan.changes).toEqual([{ column: 'score', from: 'number', to: 'integer', path: ['score'] }]);
  });

  it('does not make a column of the columnsAt object itself, only of its fields', () => {
    const plan = planColumns({ name: 't', primaryKey: ['id'], columnsAt: 'properties' }, [{ id: 1, properties: { a: 1 } }], none);
    expect(plan.columns.map((c) => c.name)).toEqual(['id', 'a']);
  });

  it('keeps each column\'s field as text that reads back the same', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 3 }), (path) => {
      expect(pathFromText(pathText(path), 'x')).toEqual(path);
    }));
    expect(pathFromText(null, 'plain')).toEqual(['plain']);
    expect(pathFromText('not json', 'plain')).toEqual(['plain']);
  });
});
