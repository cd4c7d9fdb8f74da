import { recordLines } from './batch-json.js';
import type { StreamTable, WriteBatch } from './destination.js';
import { RecordsProfile } from './schema-evolution.js';

/**
 * Records on their way into one table, taken a page at a time while a stream is read: each page
 * is serialized (as JSON lines, `recordLines`) and its fields profiled as it arrives, so that
 * work overlaps with fetching the next page instead of stalling the read once per write, and the
 * record objects themselves can be let go at once (a write of 2,500 records then holds their
 * JSON text, not 2,500 objects).
 */
export class StagedRecords {
  readonly profile: RecordsProfile;
  /** Each page's records as JSON lines. */
  private readonly pages: string[] = [];

  constructor(table: StreamTable) {
    this.profile = new RecordsProfile(table);
  }

  /** A batch handed over whole, staged in pages of `pageSize` so a large one can still be split. */
  static of(table: StreamTable, records: readonly unknown[], pageSize = 100): StagedRecords {
    const staged = new StagedRecords(table);
    for (let i = 0; i < records.length; i += pageSize) staged.add(records.slice(i, i + pageSize));
    return staged;
  }

  get count(): number {
    return this.profile.records;
  }

  /** Records a write will carry: all but those of a keyed table without their key. */
  get writable(): number {
    return this.profile.records - this.profile.skipped;
  }

  add(records: readonly unknown[]): void {
    if (records.length === 0) return;
    for (const record of records) this.profile.observe(record);
    this.pages.push(recordLines(records));
  }

  /**
   * The records as JSON lines, in texts of about `maxLength` characters at most, in order: one
   * text, unless they are larger (split between pages, the price of bounding how much one
   * statement must hold at once). None when nothing was staged.
   */
  lines(maxLength = Infinity): string[] {
    const texts: string[] = [];
    let part: string[] = [];
    let length = 0;
    for (const page of this.pages) {
      if (part.length > 0 && length + page.length + 1 > maxLength) {
        texts.push(part.join('\n'));
        part = [];
        length = 0;
      }
      part.push(page);
      length += page.length + 1;
    }
    if (part.length > 0) texts.push(part.join('\n'));
    return texts;
  }
}

/** The batch's records as staged ones: as handed over by the engine, or staged now. */
export function stagedOf(table: StreamTable, batch: WriteBatch): StagedRecords {
  return batch.records instanceof StagedRecords ? batch.records : StagedRecords.of(table, batch.records);
}
