import type { FlashbarProps } from '@cloudscape-design/components/flashbar';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

export interface Notice {
  type: 'success' | 'error' | 'info' | 'warning';
  header: string;
  content?: ReactNode;
  /** Success notices disappear after a while unless told otherwise. */
  sticky?: boolean;
}

interface Notifications {
  items: FlashbarProps.MessageDefinition[];
  notify(notice: Notice): void;
}

const NotificationsContext = createContext<Notifications | null>(null);
let counter = 0;

/** Page-level messages (Cloudscape Flashbar): results of commands, which outlive the form that sent them. */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<FlashbarProps.MessageDefinition[]>([]);
  const dismiss = useCallback((id: string) => setItems((list) => list.filter((i) => i.id !== id)), []);
  const notify = useCallback(
    (n: Notice) => {
      const id = `notice-${++counter}`;
      setItems((list) => [
        {
          id,
          type: n.type,
          header: n.header,
          content: n.content,
          dismissible: true,
          dismissLabel: 'Dismiss',
          onDismiss: () => dismiss(id),
        },
        ...list.slice(0, 4),
      ]);
      if (n.type === 'success' && !n.sticky) setTimeout(() => dismiss(id), 10_000);
    },
    [dismiss],
  );
  const value = useMemo(() => ({ items, notify }), [items, notify]);
  return <NotificationsContext.Provider value={value}>{children}</NotificationsContext.Provider>;
}

export function useNotifications(): Notifications {
  const ctx = useContext(NotificationsContext);
  if (!ctx) throw new Error('useNotifications outside NotificationsProvider');
  return ctx;
}
