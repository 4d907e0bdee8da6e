import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../api/client.ts';

/*
 * A small loader for the handheld screens instead of the console's shared resource hooks: every
 * chunk and byte counts on the handheld's first load (test/e2e/console-speed.test.ts).
 */

export interface Loaded<T> {
  data?: T;
  error?: ApiError;
  /** Loads the same key again (a retry, or a refresh after a change elsewhere). */
  reload: () => void;
}

/** Loads what `key` names once per key (null: nothing yet); a new key cancels the request in flight. */
export function useLoaded<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ key: string | null; data?: T; error?: ApiError }>({ key: null });
  const [round, setRound] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` asks for a reload of the same key.
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    loadRef.current(controller.signal).then(
      (data) => controller.signal.aborted || setState({ key, data }),
      (error: ApiError) => controller.signal.aborted || setState({ key, error }),
    );
    return () => controller.abort();
  }, [key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const current = state.key === key ? state : {};
  return { ...current, reload };
}
