import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

type Changes = Record<string, string | undefined>;

/**
 * The page's query parameters, and a change to some of them (an empty value removes one).
 *
 * A change builds on the address bar, not on this render's parameters: the router renders a
 * navigation in a transition, so a change made right after another (a Find clicked just after a
 * tab) would otherwise start from the old render and bring the old value back. Filters replace the
 * history entry unless `push` is asked for (opening a record the Back button should close).
 */
export function useQueryParams(): [URLSearchParams, (changes: Changes, opts?: { push?: boolean }) => void] {
  const [params, setParams] = useSearchParams();
  const change = useCallback(
    (changes: Changes, opts: { push?: boolean } = {}) => {
      const next = new URLSearchParams(window.location.search);
      for (const [k, v] of Object.entries(changes)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      setParams(next, { replace: !opts.push });
    },
    [setParams],
  );
  return [params, change];
}
