import { useRef } from 'react';
import type { Schemas } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { CopyButton } from './CopyButton';

/**
 * The one time a new API key is on screen. Closing the dialog drops it: the hub keeps only a hash,
 * so neither this page nor the API can show it again.
 */
export function CreatedKeyDialog({ created, onClose }: { created: Schemas['CreatedApiKey']; onClose: () => void }) {
  const copyButton = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      title="Your new API key"
      onClose={onClose}
      initialFocus={copyButton}
      footer={
        <button type="button" onClick={onClose}>
          Done
        </button>
      }
    >
      <div className="stack">
        <p className="notice">
          <strong>Copy this key now: it will not be shown again.</strong> Tributary stores only a hash of it. If you lose it, revoke it and create another.
        </p>
        <label>
          API key “{created.name}” ({created.role})
          <input className="mono created-key" value={created.key} readOnly onFocus={(e) => e.currentTarget.select()} spellCheck={false} autoComplete="off" />
        </label>
        <CopyButton ref={copyButton} text={created.key} label="Copy key" />
        <p className="help">
          Send it as <code>Authorization: Bearer {created.hint}</code> with each request. It acts as a {created.role} of this workspace.
        </p>
      </div>
    </Dialog>
  );
}
