import type { SyncView } from '../room/session';
import { formatMs } from './format';

export function SyncStatus({ sync }: { sync: SyncView }) {
  return (
    <p class="sync-status" data-testid="sync-status" title="Clock offset to the server, round trip, and distance from the room clock">
      <span>offset {formatMs(sync.offsetMs, true)} ms</span>
      <span>rtt {formatMs(sync.rttMs)} ms</span>
      <span data-testid="drift">drift {formatMs(sync.driftMs, true)} ms</span>
    </p>
  );
}
