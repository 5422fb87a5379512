import { useEffect, useRef } from 'react';

/**
 * Runs `task` now and then every `intervalMs` after the previous run settled, while the page
 * is visible (a hidden tab polls nothing). Stops when the component unmounts or `enabled`
 * turns false; starts over at once when `restartKey` changes (a new filter).
 */
export function usePolling(task: () => Promise<unknown>, intervalMs: number, enabled = true, restartKey: unknown = null): void {
  const latest = useRef(task);
  useEffect(() => {
    latest.current = task;
  });
  useEffect(() => {
    if (!enabled) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async (): Promise<void> => {
      if (stopped) return;
      if (document.visibilityState !== 'hidden') await latest.current().catch(() => undefined);
      if (!stopped) timer = setTimeout(() => void run(), intervalMs);
    };
    const onVisible = (): void => {
      if (document.visibilityState === 'visible') {
        clearTimeout(timer);
        void run();
      }
    };
    void run();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [intervalMs, enabled, restartKey]);
}
