import { useEffect, useState } from 'preact/hooks';

/** Re-renders the calling component every `intervalMs`, for displays of a moving clock. */
export function useTicker(intervalMs: number): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setTick((n) => n + 1), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
}
