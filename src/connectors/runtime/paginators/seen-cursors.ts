import { TributaryError } from '../../../domain/errors.js';

/**
 * The cursors (or next-page URLs) one stream read has sent. A vendor that hands back any of them,
 * not only the last one, would have us read the same pages for ever (A → B → A), so the read
 * stops with `invalid_response` instead. The message names the style but never the cursor: a
 * cursor may embed tokens.
 */
export class SeenCursors {
  private readonly seen = new Set<string>();

  constructor(readonly style: string) {}

  /**
   * Checks `next` before it is sent. `sent` is the cursor of the request just answered: it is
   * already known except on the read's first page, whose cursor came from the definition.
   */
  check(sent: string | undefined, next: string): void {
    if (sent !== undefined) this.seen.add(sent);
    if (this.seen.has(next)) {
      throw new TributaryError(
        'invalid_response',
        `${this.style} pagination: the vendor repeated a cursor it had already sent in this read, so the read stopped instead of looping.`,
        { details: { style: this.style } },
      );
    }
    this.seen.add(next);
  }
}
