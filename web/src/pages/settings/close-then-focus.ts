import type { RefObject } from 'react';
import { flushSync } from 'react-dom';

/**
 * Closes a dialog whose opener is gone (the row it acted on was removed or changed) and moves
 * focus to `target`, rather than leaving it nowhere. flushSync lets the dialog close first.
 */
export function closeThenFocus(close: () => void, target: RefObject<HTMLElement | null>): void {
  flushSync(close);
  target.current?.focus();
}
