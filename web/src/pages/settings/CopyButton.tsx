import { useState, type MouseEvent, type Ref } from 'react';

type Outcome = 'idle' | 'copied' | 'failed';

/**
 * Copies `text` to the clipboard and says so in a live region, so a screen reader hears
 * "Copied" too. Without the Clipboard API (a plain-http origin other than localhost) or when the
 * browser refuses it, it falls back to selecting a hidden copy and the older copy command.
 */
export function CopyButton({ text, label, ref }: { text: string; label: string; ref?: Ref<HTMLButtonElement> }) {
  const [outcome, setOutcome] = useState<Outcome>('idle');
  const copy = async (event: MouseEvent<HTMLButtonElement>) => {
    const button = event.currentTarget;
    setOutcome((await copyToClipboard(text, button)) ? 'copied' : 'failed');
  };
  return (
    <div className="row">
      <button ref={ref} type="button" className="primary" onClick={copy}>
        {label}
      </button>
      <span role="status" className={outcome === 'failed' ? 'field-error' : 'confirmation'}>
        {outcome === 'copied' ? 'Copied' : outcome === 'failed' ? 'Could not copy: select the key and press Ctrl+C (⌘C on a Mac).' : ''}
      </span>
    </div>
  );
}

async function copyToClipboard(text: string, beside: HTMLElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // The hidden copy sits beside the button: inside an open modal dialog, the rest of the page is inert.
    const area = document.createElement('textarea');
    area.value = text;
    area.readOnly = true;
    area.className = 'visually-hidden';
    beside.after(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    beside.focus();
    return copied;
  }
}
