import { useEffect } from 'preact/hooks';
import type { Notice } from '../room/session';

const AUTO_DISMISS_MS = 10_000;

/** One message at a time; a newer one replaces it. Text only: messages come from the server. */
export function Toast({ notice, onDismiss }: { notice: Notice | null; onDismiss: () => void }) {
  useEffect(() => {
    if (notice === null) return;
    const id = setTimeout(onDismiss, AUTO_DISMISS_MS);
    return () => clearTimeout(id);
  }, [notice?.id]);

  if (notice === null) return null;
  return (
    <div class="toast" role="alert" data-testid="error" data-code={notice.code}>
      <span class="toast-message" data-testid="error-message">
        {notice.message}
      </span>
      <button type="button" class="toast-dismiss" data-testid="error-dismiss" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
