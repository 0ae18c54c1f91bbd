import type { ConnectionView } from '../room/session';

const TEXT: Record<ConnectionView['status'], string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Connection lost. Reconnecting…',
  not_found: 'This room does not exist.',
  forbidden: 'This room is private.',
  removed: 'You are no longer in this room.',
  closed: 'This room was closed.',
};

/** Always present (data-state tells the state); a banner whenever the room is not connected. */
export function ConnectionBanner({ connection }: { connection: ConnectionView }) {
  const { status } = connection;
  return (
    <div
      class={`connection connection-${status}`}
      data-testid="connection"
      data-state={status}
      role="status"
      aria-live="polite"
    >
      {TEXT[status]}
    </div>
  );
}
