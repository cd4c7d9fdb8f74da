import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StagedRecords } from './staged-records.js';

const table = { name: 'crm_contacts', primaryKey: ['id'] };
const recordsOf = (parts: string[]) => parts.flatMap((part) => part.split('\n').map((line) => JSON.parse(line) as unknown));

describe('StagedRecords', () => {
  it('hands over every record once, in order, one per line, however the parts are cut', () => {
    const record = fc.record({ id: fc.integer(), note: fc.string() });
    fc.assert(fc.property(fc.array(fc.array(record, { minLength: 1, maxLength: 20 }), { maxLength: 12 }), fc.integer({ min: 1, max: 2_000 }), (pages, maxLength) => {
      const staged = new StagedRecords(table);
      for (const page of pages) staged.add(page);
      const parts = staged.lines(maxLength);
      expect(recordsOf(parts)).toEqual(pages.flat());
      expect(staged.count).toBe(pages.flat().length);
      // Parts are cut between pages only: each holds whole pages, and one holds more than one only within the bound.
      expect(parts.length).toBeLessThanOrEqual(pages.length);
      for (const part of parts) if (part.length > maxLength) expect(pages.map((p) => p.map((r) => JSON.stringify(r)).join('\n'))).toContain(part);
    }));
  });

  it('is one part when no bound is given, and none when nothing was staged', () => {
    const staged = StagedRecords.of(table, Array.from({ length: 250 }, (_, id) => ({ id })));
    expect(staged.lines()).toHaveLength(1);
    expect(recordsOf(staged.lines())).toHaveLength(250);
    expect(new StagedRecords(table).lines()).toEqual([]);
  });
});
