import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseBackends, type TestWarehouses } from '../../test/support/warehouses.js';
import { datasetName, type Destination, type StreamTable } from './destination.js';

/**
 * Every behaviour of a destination, on every backend available (test/support/warehouses.ts):
 * DuckDB always, PostgreSQL when DATABASE_URL names one. Each test writes into a new workspace.
 */
const syncedAt = new Date('2026-11-25T10:00:00Z');
const batch = (records: unknown[], runId = 'run-1') => ({ records, runId, syncedAt });
const contacts: StreamTable = { name: 'crm_contacts', primaryKey: ['id'] };
const page = { limit: 100, offset: 0 };

/** The whole of a table as a reader sees it: columns with their types and key flags, and every row in key order. */
async function snapshot(destination: Destination, name: string) {
  const table = await destination.describeTable(name);
  const rows = await destination.readRows(name, { limit: 1_000, offset: 0 });
  return { columns: table?.columns.map((c) => `${c.name}:${c.type}${c.key ? ':key' : ''}`).sort(), rowCount: table?.rowCount, rows: rows?.rows };
}

for (const backend of warehouseBackends) {
  describe(`${backend.kind} destination`, () => {
    let warehouses: TestWarehouses;
    beforeAll(async () => {
      warehouses = await backend.start();
    });
    afterAll(() => warehouses.stop());
    const fresh = () => warehouses.fresh();

    it('creates a table per stream: the key, typed columns, _raw, _synced_at and _run_id', async () => {
      const destination = await fresh();
      const record = { id: 7, email: 'a@x.io', score: 3, ratio: 0.5, vip: true, updatedAt: '2026-01-02T03:04:05.678+02:00', tags: ['a'], note: null };
      const result = await destination.write(contacts, batch([record]));
      expect(result).toEqual({ written: 1, schemaChanges: [], warnings: [] });
      const table = await destination.describeTable('crm_contacts');
      expect(table?.rowCount).toBe(1);
      expect(table?.columns).toEqual([
        { name: 'id', type: 'string', key: true },
        { name: '_raw', type: 'json', key: false },
        { name: '_synced_at', type: 'timestamp', key: false },
        { name: '_run_id', type: 'string', key: false },
        ...(['email:string', 'score:integer', 'ratio:number', 'vip:boolean', 'updated_at:timestamp', 'tags:json'].map((c) => ({ name: c.split(':')[0], type: c.split(':')[1], key: false }))),
      ]);
      const { rows } = (await destination.readRows('crm_contacts', page))!;
      expect(rows).toEqual([{ id: '7', email: 'a@x.io', score: 3, ratio: 0.5, vip: true, updated_at: '2026-01-02T01:04:05.678Z', tags: ['a'], _raw: record, _synced_at: '2026-11-25T10:00:00.000Z', _run_id: 'run-1' }]);
    });

    it('upserts by key: a later batch replaces the whole row, and within a batch the last record of a key wins', async () => {
      const destination = await fresh();
      await destination.write(contacts, batch([{ id: 1, name: 'one', city: 'Lyon' }, { id: 2, name: 'two' }]));
      const second = await destination.write(contacts, batch([{ id: 1, name: 'uno' }, { id: 3, name: 'three' }, { id: '1', name: 'eins' }], 'run-2'));
      expect(second.written).toBe(2);
      const { rows, total } = (await destination.readRows('crm_contacts', page))!;
      expect(total).toBe(3);
      expect(rows.map((r) => [r.id, r.name, r.city, r._run_id])).toEqual([
        ['1', 'eins', null, 'run-2'],
        ['2', 'two', null, 'run-1'],
        ['3', 'three', null, 'run-2'],
      ]);
    });

    it('appends a batch of new keys, and upserts one that meets a key the table holds, for the rest of that run', async () => {
      const destination = await fresh();
      await destination.write(contacts, batch([{ id: 1, name: 'one' }, { id: 2, name: 'two' }]));
      // Distinct keys, one of them already stored: the append fails as a whole and the batch is upserted.
      expect((await destination.write(contacts, batch([{ id: 3, name: 'three' }, { id: 2, name: 'deux' }], 'run-2'))).written).toBe(2);
      expect((await destination.write(contacts, batch([{ id: 4, name: 'four' }, { id: 1, name: 'un' }], 'run-2'))).written).toBe(2);
      // A new run tries appending again.
      expect((await destination.write(contacts, batch([{ id: 5, name: 'five' }], 'run-3'))).written).toBe(1);
      const { rows, total } = (await destination.readRows('crm_contacts', page))!;
      expect(total).toBe(5);
      expect(rows.map((r) => [r.id, r.name, r._run_id])).toEqual([
        ['1', 'un', 'run-2'],
        ['2', 'deux', 'run-2'],
        ['3', 'three', 'run-2'],
        ['4', 'four', 'run-2'],
        ['5', 'five', 'run-3'],
      ]);
    });

    it('keys by several fields, nested ones included, always as text', async () => {
      const destination = await fresh();
      const table: StreamTable = { name: 'app_members', primaryKey: ['account.id', 'user'] };
      await destination.write(table, batch([{ account: { id: 1 }, user: 'a', role: 'x' }, { account: { id: 1 }, user: 'b' }, { account: { id: 2 }, user: 'a' }]));
      await destination.write(table, batch([{ account: { id: '1' }, user: 'a', role: 'y' }]));
      const { rows, columns } = (await destination.readRows('app_members', page))!;
      expect(columns.filter((c) => c.key).map((c) => `${c.name}:${c.type}`)).toEqual(['account_id:string', 'user:string']);
      expect(rows.map((r) => [r.account_id, r.user, r.role])).toEqual([
        ['1', 'a', 'y'],
        ['1', 'b', null],
        ['2', 'a', null],
      ]);
    });

    it('takes a write as large as the engine sends (2,500 records) of a wide table (120 columns) within its memory', async () => {
      const destination = await fresh();
      const columns = Array.from({ length: 119 }, (_, i) => `field_${i}`);
      const records = Array.from({ length: 2_500 }, (_, n) => ({
        id: n,
        ...Object.fromEntries(columns.map((c, i) => [c, i % 3 === 0 ? n * i : i % 3 === 1 ? `value ${n} of ${c}, long enough to need space` : '2026-01-02T03:04:05.678Z'])),
      }));
      expect((await destination.write(contacts, batch(records))).written).toBe(2_500);
      const table = await destination.describeTable('crm_contacts');
      expect(table).toMatchObject({ rowCount: 2_500 });
      expect(table?.columns.length).toBe(120 + 3);
    });

    it('widens a column as its values change type (integer, number, string, object), keeping every record in _raw', async () => {
      const destination = await fresh();
      const steps = [];
      for (const [id, value] of [[1, 5], [2, 2.5], [3, 'n/a'], [4, { nested: true }]] as const) {
        const { schemaChanges } = await destination.write(contacts, batch([{ id, value }]));
        const type = (await destination.describeTable('crm_contacts'))!.columns.find((c) => c.name === 'value')!.type;
        steps.push({ type, changes: schemaChanges });
      }
      expect(steps).toEqual([
        { type: 'integer', changes: [] },
        { type: 'number', changes: [{ column: 'value', from: 'integer', to: 'number' }] },
        { type: 'string', changes: [{ column: 'value', from: 'number', to: 'string' }] },
        { type: 'json', changes: [{ column: 'value', from: 'string', to: 'json' }] },
      ]);
      const { rows } = (await destination.readRows('crm_contacts', page))!;
      expect(rows.map((r) => r.value)).toEqual([5, 2.5, 'n/a', { nested: true }]);
      expect(rows.map((r) => r._raw)).toEqual([{ id: 1, value: 5 }, { id: 2, value: 2.5 }, { id: 3, value: 'n/a' }, { id: 4, value: { nested: true } }]);
    });

    it('adds a column for a new field, also when two writes or a retried batch add it at once', async () => {
      const destination = await fresh();
      await destination.write(contacts, batch([{ id: 'a' }]));
      const results = await Promise.all([destination.write(contacts, batch([{ id: 'b', phone: '1' }])), destination.write(contacts, batch([{ id: 'c', phone: '2' }]))]);
      expect(results.flatMap((r) => r.schemaChanges)).toEqual([{ column: 'phone', to: 'string' }]);
      const retried = await destination.write(contacts, batch([{ id: 'c', phone: '2' }]));
      expect(retried).toEqual({ written: 1, schemaChanges: [], warnings: [] });
      expect((await destination.readRows('crm_contacts', page))!.rows.map((r) => [r.id, r.phone])).toEqual([['a', null], ['b', '1'], ['c', '2']]);
    });

    it('turns the fields under columnsAt into columns; a top-level field wins a clashing name', async () => {
      const destination = await fresh();
      const table: StreamTable = { name: 'crm_people', primaryKey: ['id'], columnsAt: 'properties' };
      const result = await destination.write(table, batch([{ id: 'a', email: 'top@x.io', properties: { email: 'nested@x.io', firstName: 'Ada', id: 'p-1' } }]));
      expect(result.warnings).toEqual(['Field "properties.email" is kept in _raw only: column email holds "email".', 'Field "properties.id" is kept in _raw only: column id holds "id".']);
      const { rows, columns } = (await destination.readRows('crm_people', page))!;
      expect(columns.map((c) => c.name)).toEqual(['id', '_raw', '_synced_at', '_run_id', 'email', 'first_name']);
      expect(rows.map((r) => [r.id, r.email, r.first_name])).toEqual([['a', 'top@x.io', 'Ada']]);
    });

    it('keeps a column with the field that named it first; a field whose name clashes stays in _raw, even after a reopen', async () => {
      const first = await warehouses.open();
      const workspaceId = warehouses.workspace();
      await (await first.destination(workspaceId)).write(contacts, batch([{ id: 1, firstName: 'Ada' }]));
      await first.close();
      const destination = await (await warehouses.open()).destination(workspaceId);
      const result = await destination.write(contacts, batch([{ id: 2, first_name: 'Bob', _raw: 'mine' }]));
      expect(result.warnings).toEqual(['Field "first_name" is kept in _raw only: column first_name holds "firstName".', 'Field "_raw" is kept in _raw only: _raw is one of Tributary\'s own columns.']);
      const { rows } = (await destination.readRows('crm_contacts', page))!;
      expect(rows.map((r) => [r.first_name, r._raw])).toEqual([['Ada', { id: 1, firstName: 'Ada' }], [null, { id: 2, first_name: 'Bob', _raw: 'mine' }]]);
    });

    it('moves a name from a nested field to a top-level one that appears later, re-deriving the column', async () => {
      const destination = await fresh();
      const table: StreamTable = { name: 'crm_people', primaryKey: ['id'], columnsAt: 'properties' };
      await destination.write(table, batch([{ id: 'a', properties: { score: 1.5 } }]));
      const result = await destination.write(table, batch([{ id: 'b', score: 2, properties: { score: 2.5 } }]));
      expect(result.schemaChanges).toEqual([{ column: 'score', from: 'number', to: 'integer' }]);
      expect((await destination.readRows('crm_people', page))!.rows.map((r) => [r.id, r.score])).toEqual([['a', null], ['b', 2]]);
    });

    it('does not write a record without its key, and says so once per batch', async () => {
      const destination = await fresh();
      const result = await destination.write(contacts, batch([{ id: 1 }, { name: 'keyless' }, { id: null }, 'not an object']));
      expect(result).toEqual({ written: 1, schemaChanges: [], warnings: ['3 record(s) without a value for the key (id) were not written.'] });
      expect((await destination.describeTable('crm_contacts'))!.rowCount).toBe(1);
    });

    it('appends to a table whose stream has no key', async () => {
      const destination = await fresh();
      const log: StreamTable = { name: 'app_events', primaryKey: [] };
      await destination.write(log, batch([{ kind: 'a' }, { kind: 'a' }]));
      const result = await destination.write(log, batch([{ kind: 'a' }, 42]));
      expect(result).toEqual({ written: 2, schemaChanges: [], warnings: ['1 record(s) that are not JSON objects were kept in _raw only.'] });
      const table = (await destination.describeTable('app_events'))!;
      expect([table.rowCount, table.columns.some((c) => c.key)]).toEqual([4, false]);
    });

    it('keeps hostile names and values as data: quotes, dots, slashes, backslashes, NUL and SQL', async () => {
      const destination = await fresh();
      const table: StreamTable = { name: 'x"; DROP TABLE crm_contacts; --', primaryKey: ['id'] };
      await destination.write(contacts, batch([{ id: 1 }]));
      const record = { id: "o'brien\"", 'a"; DROP TABLE x; --': 1, 'dotted.key': 2, 'a/b~c': 3, 'back\\slash': 4, '': 5, "it's": "'; DELETE FROM x; --", nul: 'a\u0000b', lone: 'x\ud800y', '\u0000': 6 };
      expect((await destination.write(table, batch([record]))).written).toBe(1);
      expect((await destination.listTables()).map((t) => t.name).sort()).toEqual(['crm_contacts', table.name]);
      const { rows } = (await destination.readRows(table.name, page))!;
      const { '\u0000': nulKey, ...rest } = record;
      const stored = { ...rest, nul: 'a\ufffdb', lone: 'x\ufffdy', '\ufffd': nulKey };
      expect(rows[0]).toMatchObject({ id: "o'brien\"", a_drop_table_x_: 1, dotted_key: 2, a_b_c: 3, back_slash: 4, _field: 5, it_s: "'; DELETE FROM x; --", nul: 'a\ufffdb', lone: 'x\ufffdy' });
      expect(rows[0]!._raw).toEqual(stored);
      for (const name of ['crm_contacts"; --', 'CRM_CONTACTS', 'main.crm_contacts', '../crm_contacts', 'a\u0000b']) expect(await destination.readRows(name, page)).toBeUndefined();
    });

    it('lists tables with row counts and columns, and reads pages sorted by any column', async () => {
      const destination = await fresh();
      await destination.write(contacts, batch([{ id: 'a', n: 3 }, { id: 'b', n: 1 }, { id: 'c', n: 2 }, { id: 'd' }]));
      await destination.write({ name: 'app_events', primaryKey: [] }, batch([{ kind: 'x' }]));
      expect((await destination.listTables()).map((t) => [t.name, t.rowCount, t.columns.length])).toEqual([['app_events', 1, 4], ['crm_contacts', 4, 5]]);
      const ids = async (query: object) => (await destination.readRows('crm_contacts', { ...page, ...query }))!.rows.map((r) => r.id);
      expect(await ids({})).toEqual(['a', 'b', 'c', 'd']);
      expect(await ids({ sort: 'n', direction: 'desc', limit: 2, offset: 1 })).toEqual(['c', 'b']);
      expect(await ids({ sort: 'n' })).toEqual(['b', 'c', 'a', 'd']);
      expect(await ids({ sort: '_synced_at', direction: 'desc' })).toEqual(['a', 'b', 'c', 'd']);
      expect((await destination.readRows('crm_contacts', { limit: 1, offset: 0 }))!.total).toBe(4);
    });

    it('refuses a sort column the table lacks, and knows no table the dataset lacks', async () => {
      const destination = await fresh();
      await destination.write(contacts, batch([{ id: 'a' }]));
      await expect(destination.readRows('crm_contacts', { ...page, sort: 'nope' })).rejects.toMatchObject({ code: 'validation_failed', details: { fields: [{ field: 'sort', message: 'the table has no column "nope"' }] } });
      expect(await destination.readRows('missing', page)).toBeUndefined();
      expect(await destination.describeTable('missing')).toBeUndefined();
    });

    it('keeps one dataset per workspace, named after it, and one destination per workspace until close', async () => {
      const warehouse = await warehouses.open();
      const workspaceId = warehouses.workspace();
      const destination = await warehouse.destination(workspaceId);
      expect([destination.kind, destination.dataset]).toEqual([backend.kind, datasetName(workspaceId)]);
      expect(await warehouse.destination(workspaceId)).toBe(destination);
      await destination.write(contacts, batch([{ id: 1 }]));
      expect(await warehouses.datasetExists(workspaceId)).toBe(true);
      expect(await (await warehouse.destination(warehouses.workspace())).listTables()).toEqual([]);
      await warehouse.close();
      await expect(warehouse.destination(workspaceId)).rejects.toThrow('closed');
    });

    it('ends with the same table whether records arrive in one batch or in any split of batches (property)', async () => {
      const table: StreamTable = { name: 'crm_contacts', primaryKey: ['id'], columnsAt: 'props' };
      const value = fc.oneof(
        fc.constant(null),
        fc.boolean(),
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        fc.string({ maxLength: 6 }),
        fc.constantFrom('2026-01-01T00:00:00Z', '2025-06-30T12:30:00.5+02:00', '2024-02-30T00:00:00Z', '12', 'true'),
        fc.dictionary(fc.constantFrom('x', 'y'), fc.integer(), { maxKeys: 2 }),
        fc.array(fc.integer(), { maxLength: 2 }),
      );
      const fields = (keys: string[]) => fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length });
      // Clashing names on purpose: alpha and Alpha, and alpha or beta both at the top and under props.
      const record = fc.record({ id: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant(null)), top: fields(['alpha', 'Alpha', 'beta', 'gamma']), props: fc.option(fields(['alpha', 'beta', 'delta']), { nil: undefined }) })
        .map(({ id, top, props }) => ({ id, ...top, ...(props ? { props } : {}) }));
      const scenario = fc.tuple(fc.array(record, { minLength: 1, maxLength: 14 }), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }));
      await fc.assert(
        fc.asyncProperty(scenario, async ([records, sizes]) => {
          const whole = await fresh();
          await whole.write(table, batch(records));
          const split = await fresh();
          for (let i = 0, s = 0; i < records.length; i += sizes[s % sizes.length]!, s++) await split.write(table, batch(records.slice(i, i + sizes[s % sizes.length]!)));
          expect(await snapshot(split, table.name)).toEqual(await snapshot(whole, table.name));
        }),
        { numRuns: 30 },
      );
    }, 120_000);
  });
}
