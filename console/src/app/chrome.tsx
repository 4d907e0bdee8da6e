import type { BreadcrumbGroupProps } from '@cloudscape-design/components/breadcrumb-group';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';

/** What a screen contributes to the shell around it: breadcrumbs, the tab title, a split panel. */
export interface Chrome {
  breadcrumbs: BreadcrumbGroupProps.Item[];
  splitPanel: { header: string; content: ReactNode } | null;
}

interface ChromeContextValue extends Chrome {
  set(next: Partial<Chrome>): void;
}

const ChromeContext = createContext<ChromeContextValue | null>(null);

export function ChromeProvider({ children }: { children: ReactNode }) {
  const [chrome, setChrome] = useState<Chrome>({ breadcrumbs: [], splitPanel: null });
  // Stable, so screens can depend on it in effects without re-running on every chrome change.
  const set = useCallback((next: Partial<Chrome>) => setChrome((c) => ({ ...c, ...next })), []);
  const value = useMemo(() => ({ ...chrome, set }), [chrome, set]);
  return <ChromeContext.Provider value={value}>{children}</ChromeContext.Provider>;
}

export function useChrome(): ChromeContextValue {
  const ctx = useContext(ChromeContext);
  if (!ctx) throw new Error('useChrome outside ChromeProvider');
  return ctx;
}

/** Sets the breadcrumbs and the document title for the current screen. */
export function usePage(title: string, trail: { text: string; href: string }[] = []) {
  const { set } = useChrome();
  const key = JSON.stringify([title, trail]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` captures title and trail.
  useEffect(() => {
    document.title = `${title} · Quartermaster`;
    set({ breadcrumbs: [{ text: 'Quartermaster', href: '/' }, ...trail], splitPanel: null });
  }, [key, set]);
}
