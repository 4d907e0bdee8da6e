import type { PaginationProps } from '@cloudscape-design/components/pagination';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import type { Page } from '../api/types.ts';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'CLIENT', (error as Error)?.message ?? String(error), undefined, '', '');
}

/**
 * Loads whatever `key` names; a new key cancels the request in flight (AbortController), so a
 * fast typist or a page flip never shows an older answer. `key === null` loads nothing.
 */
export function useResource<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ key: string | null; data?: T; error?: ApiError; loading: boolean }>({
    key: null,
    loading: key !== null,
  });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads on key and explicit reload only.
  useEffect(() => {
    if (key === null) {
      setState({ key, loading: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ key, loading: true, ...(s.key === key ? { data: s.data } : {}) }));
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ key, data, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted && (error as Error)?.name !== 'AbortError') {
          setState({ key, error: toApiError(error), loading: false });
        }
      },
    );
    return () => controller.abort();
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: key !== null && (!current || state.loading),
    reload,
  };
}

export interface CursorList<T> extends Resource<Page<T>> {
  items: T[];
  /** Props for Cloudscape Pagination: known pages, with an open end until the last page is seen. */
  pagination: Pick<PaginationProps, 'currentPageIndex' | 'pagesCount' | 'openEnd' | 'onChange' | 'disabled'>;
}

/**
 * Server-side paging over the API's cursors. Page N's cursor is remembered once page N−1 has
 * been read, so the user can step back and forth; a new `key` (other filters) starts over.
 */
export function useCursorList<T>(
  key: string | null,
  load: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
): CursorList<T> {
  const [paging, setPaging] = useState<{
    key: string | null;
    cursors: (string | undefined)[];
    index: number;
    end: boolean;
  }>({ key, cursors: [undefined], index: 0, end: false });
  const p = paging.key === key ? paging : { key, cursors: [undefined], index: 0, end: false };
  if (p !== paging) setPaging(p);

  const cursor = p.cursors[p.index];
  const resource = useResource<Page<T>>(key === null ? null : `${key}#${p.index}:${cursor ?? ''}`, (signal) =>
    load(cursor, signal),
  );
  const next = resource.data?.nextCursor;
  const loaded = resource.data !== undefined;
  useEffect(() => {
    if (!loaded) return;
    setPaging((s) => {
      if (s.key !== key) return s;
      if (next) {
        if (s.cursors[s.index + 1] === next) return s;
        return { ...s, cursors: [...s.cursors.slice(0, s.index + 1), next], end: false };
      }
      return s.index === s.cursors.length - 1 && s.end
        ? s
        : { ...s, cursors: s.cursors.slice(0, s.index + 1), end: true };
    });
  }, [key, next, loaded]);

  return {
    ...resource,
    items: resource.data?.items ?? [],
    pagination: {
      currentPageIndex: p.index + 1,
      pagesCount: Math.max(1, p.cursors.length),
      openEnd: !p.end,
      disabled: resource.loading,
      onChange: ({ detail }) =>
        setPaging((s) =>
          detail.currentPageIndex - 1 < s.cursors.length ? { ...s, index: detail.currentPageIndex - 1 } : s,
        ),
    },
  };
}
