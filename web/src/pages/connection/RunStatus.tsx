import type { SyncRun } from './connection-queries';

type Status = SyncRun['status'] | SyncRun['streams'][string]['status'];

/** A glyph beside the word, so a run's outcome never rests on colour alone. */
const glyphs: Record<Status, string> = {
  queued: '◷',
  pending: '◷',
  running: '↻',
  succeeded: '✓',
  failed: '✕',
  cancelled: '⊘',
  skipped: '–',
};

export function RunStatus({ status }: { status: Status }) {
  return (
    <span className={`run-status ${status}`}>
      <span aria-hidden="true">{glyphs[status]}</span> {status}
    </span>
  );
}
