import { useEffect, useState } from 'preact/hooks';

type CopyState = 'idle' | 'copied' | 'manual';

export function CopyLink({ url, label = 'Copy room link', testId = 'copy-link' }: { url: string; label?: string; testId?: string }) {
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state !== 'copied') return;
    const id = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(id);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setState('copied');
    } catch {
      // no clipboard access (plain http, or permission refused): let the user copy it
      setState('manual');
    }
  };

  return (
    <div class="copy-link">
      <button type="button" data-testid={testId} onClick={copy}>
        {state === 'copied' ? 'Link copied' : label}
      </button>
      {state === 'manual' && (
        <input
          class="room-link"
          data-testid={testId === 'copy-link' ? 'room-link' : `${testId}-text`}
          aria-label="Room link"
          readOnly
          value={url}
          ref={(input) => input?.select()}
          onFocus={(event) => event.currentTarget.select()}
        />
      )}
    </div>
  );
}
