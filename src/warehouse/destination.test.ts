import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetName, type Destination, type StreamTable, type Warehouse } from './destination.js';
import { openWarehouse, type WarehouseOptions } from './warehouse.js';

/**
 * Every behaviour of a destination, on every backend available: DuckDB always, PostgreSQL when
 * DATABASE_URL names one (CI runs the suite both ways). Each test writes into a new workspace.
 */
const backends: Array<{ name: string; options: () => Promise<WarehouseOptions> }> = [
  { name: 'duckdb', options: async () => ({ kind: 'duckdb', dir: await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-dest-')) }) },
  ...(process.env.DATABASE_URL ? [{ name: 'postgres', options: async () => ({ kind: 'postgres' as const, url: process.env.DATABASE_URL! }) }] : []),
];

const batch = (records: unknown[], runId = 'run-1') => ({ records, runId, syncedAt: new Date('2026-11-25T10:00:00Z') });
const contacts: StreamTable = { name: 'crm_contacts', primaryKey: ['id'] };

for (const backend of backends) {
  describe(`${backend.name} destination`, () => {
    let warehouse: Warehouse | undefined;
    let options: WarehouseOptions;
    const workspaces: string[] = [];
    async function fresh(): Promise<Destination> {
      if (!warehouse) {
        options = await backend.options();
        warehouse = await openWarehouse(options);
      }
      const workspaceId = crypto.randomUUID();
      workspaces.push(workspaceId);
      return warehouse.destination(workspaceId);
    }
    afterAll(async () => {
      await warehouse?.close();
      if (options?.kind === 'duckdb') await fs.rm(options.dir, { recursive: true, force: true });
      if (options?.kind === 'postgres') {
        const client = new pg.Client({ connectionString: options.url });
        await client.connect();
        for (const id of workspaces) await client.query(`DROP SCHEMA IF EXISTS "${datasetName(id)}" CASCADE`);
        await client.end();
      }
    });

    it('creates the table with the key, typed columns and _raw, _synced_at, _run_id', async () => {
      const destination = await fresh();
      const result = await destination.write(contacts, batch([{ id: 7, email: 'a@x.io', score: 3, ratio: 0.5, vip: true, updatedAt: '2026-01-02T03:04:05.678Z', tags: ['a'] }]));
      expect(result.written).toBe(1);
      const table = await destination.describeTable('crm_contacts');
      expect(table?.rowCount).toBe(1);
      expect(Object.fromEntries(table!.columns.map((c) => [c.name, [c.type, c.key]]))).toEqual({
        id: ['string', true],
        email: ['string', false],
        score: ['integer', false],
        ratio: ['number', false],
        vip: ['boolean', false],
        updated_at: ['timestamp', false],
        tags: ['json', false],
        _raw: ['json', false],
        _synced_at: ['timestamp', false],
        _run_id: ['string', false],
      });
      const { rows } = (await destination.readRows('crm_contacts', { limit: 10, offset: 0 }))!;
      expect(rows[0]).toMatchObject({ id: '7', email: 'a@x.io', score: 3, ratio: 0.5, vip: true, updated_at: '2026-01-02T03:04:05.678Z', tags: ['a'], _run_id: 'run-1', _synced_at: '2026-11-25T10:00:00.000Z' });
      expect(rows[0]!._raw).toEqual({ id: 7, email: 'a@x.io', score: 3, ratio: 0.5, vip: true, updatedAt: '2026-01-02T03:04:05.678Z', tags: ['a'] });
    });

    it('upserts by key: a later batch replaces the row, and within a batch the last record of a key wins', async () => {
      const destination = await fresh();
      await destination.write(contacts, batch([{ id: 1, name: 'one', city: 'Lyon' }, { id: 2, name: 'two' }]));
      const second = await destination.write(contacts, batch([{ id: 1, name: 'uno' }, { id: 3, name: 'three' }, { id: 1, name: 'eins' }], 'run-2'));
      expect(second.written).toBe(2);
      const { rows, total } = (await destination.readRows('crm_contacts', { limit: 10, offset: 0 }))!;
      expect(total).toBe(3);
      expect(rows.map((r) => [r.id, r.name, r.city, r._run_id])).toEqual([
        ['1', 'eins', null, 'run-2'],
        ['2', 'two', null, 'run-1'],
        ['3', 'three', null, 'run-2'],
      ]);
    });

    it('widens a column as its values change type, keeping every original record in _raw', async () => {
      const destination = await fresh();
      const changes = [];
      for (const [i, value] of [[1, 5], [2, 2.5], [3, 'n/a'], [4, { nested: true }]] as const) {
        changes.push((await destination.write(contacts, batch([{ id: i, value }]))).schemaChanges.filter((c) => c.column === 'value'));
      }
      expect(changes).toEqual([[], [{ column: 'value', from: 'integer', to: 'number' }], [{ column: 'value', from: 'number', to: 'string' }], [{ column: 'value', from: 'string', to: 'json' }]]);
      const { rows } = (await destination.readRows('crm_contacts', { limit: 10, offset: 0 }))!;
      expect(rows.map((r) => r.value)).toEqual([5, 2.5, 'n/a', { nested: true }]);
      expect(rows.map((r) => (r._raw as { value: unknown }).value)).toEqual([5, 2.5, 'n/a', { nested: true }]);
    });

    it('adds columns for new fields idempotently, and turns nested fields into columns with columnsAt', async () => {
      const destination = await fresh();
      const table: StreamTable = { name: 'crm_people', primaryKey: ['id'], columnsAt: 'properties' };
      await destination.write(table, batch([{ id: 'a', properties: { email: 'a@x.io', id: 'clash' } }]));
      await Promise.all([destination.write(table, batch([{ id: 'b', properties: { phone: '1' } }])), destination.write(table, batch([{ id: 'c', properties: { phone: '2' } }]))]);
      const described = await destination.describeTable('crm_people');
      expect(described!.columns.map((c) => c.name)).toEqual(['id', '_raw', '_synced_at', '_run_id', 'properties', 'email', 'phone']);
      const { rows } = (await destination.readRows('crm_people', { limit: 10, offset: 0 }))!;
      expect(rows.map((r) => [r.id, r.email, r.phone])).toEqual([
        ['a', 'a@x.io', null],
        ['b', null, '1'],
        ['c', null, '2'],
      ]);
    });

    it('does not write a record without its key, and says so once per batch', async () => {
      const destination = await fresh();
      const result = await destination.write(contacts, batch([{ id: 1 }, { name: 'keyless' }, { id: null }]));
      expect(result.written).toBe(1);
      expect(result.warnings).toEqual(['2 record(s) without a value for the key (id) were not written.']);
    });

    it('appends to a table whose stream has no key', async () => {
      const destination = await fresh();
      const log: StreamTable = { name: 'app_events', primaryKey: [] };
      await destination.write(log, batch([{ kind: 'a' }, { kind: 'a' }]));
      await destination.write(log, batch([{ kind: 'a' }]));
      expect((await destination.describeTable('app_events'))!.rowCount).toBe(3);
    });

    it('keeps hostile names and values as data: quotes, dots, $ and SQL in table names, keys and values', async () => {
      const destination = await fresh();
      const table: StreamTable = { name: 'x"; DROP TABLE crm_contacts; --', primaryKey: ['id'] };
      const record = { id: "o'brien\"", 'a"; DROP TABLE x; --': 1, 'dotted.key': 2, $dollar: 3, "it's": "'; DELETE FROM x; --" };
      await destination.write(table, batch([record]));
      const tables = await destination.listTables();
      expect(tables.map((t) => t.name)).toEqual(['x"; DROP TABLE crm_contacts; --']);
      const { rows } = (await destination.readRows(table.name, { limit: 1, offset: 0 }))!;
      expect(rows[0]).toMatchObject({ id: "o'brien\"", a_drop_table_x_: 1, dotted_key: 2, _dollar: 3, it_s: "'; DELETE FROM x; --" });
      expect(rows[0]!._raw).toEqual(record);
    });

    it('reads rows sorted by any column, refuses an unknown sort column, and knows no table it does not have', async () => {
      const destination = await fresh();
      await destination.write(contacts, batch([{ id: 'a', n: 3 }, { id: 'b', n: 1 }, { id: 'c', n: 2 }]));
      const page = await destination.readRows('crm_contacts', { limit: 2, offset: 1, sort: 'n', direction: 'desc' });
      expect(page!.rows.map((r) => r.id)).toEqual(['c', 'b']);
      await expect(destination.readRows('crm_contacts', { limit: 2, offset: 0, sort: 'nope' })).rejects.toMatchObject({ code: 'validation_failed' });
      expect(await destination.readRows('missing', { limit: 1, offset: 0 })).toBeUndefined();
      expect(await destination.describeTable('missing')).toBeUndefined();
    });

    it('ends with the same table whether records arrive in one batch or any split of batches (property)', async () => {
      const value = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -1e6, max: 1e6 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.string({ maxLength: 6 }), fc.constantFrom('2026-01-01T00:00:00Z', '2025-06-30T12:30:00.5+02:00'), fc.dictionary(fc.constantFrom('x', 'y'), fc.integer(), { maxKeys: 2 }), fc.array(fc.integer(), { maxLength: 2 }));
      const record = fc.record({ id: fc.integer({ min: 1, max: 8 }), fields: fc.dictionary(fc.constantFrom('alpha', 'beta', 'gamma', 'delta'), value, { maxKeys: 4 }) }).map(({ id, fields }) => ({ id, ...fields }));
      const scenario = fc.tuple(fc.array(record, { minLength: 1, maxLength: 14 }), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }));
      const snapshot = async (destination: Destination) => {
        const table = (await destination.describeTable('crm_contacts'))!;
        const rows = (await destination.readRows('crm_contacts', { limit: 100, offset: 0 }))!.rows.map(({ _synced_at: _s, _run_id: _r, ...rest }) => rest);
        return { columns: table.columns.map((c) => [c.name, c.type]).sort(), rows };
      };
      await fc.assert(
        fc.asyncProperty(scenario, async ([records, sizes]) => {
          const whole = await fresh();
          await whole.write(contacts, batch(records));
          const split = await fresh();
          for (let i = 0, s = 0; i < records.length; i += sizes[s % sizes.length]!, s++) await split.write(contacts, batch(records.slice(i, i + sizes[s % sizes.length]!)));
          expect(await snapshot(split)).toEqual(await snapshot(whole));
        }),
        { numRuns: 20 },
      );
    }, 120_000);
  });
}
