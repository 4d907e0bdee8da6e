import { applyDensity, applyMode, Density, Mode } from '@cloudscape-design/global-styles';
import { useCallback, useSyncExternalStore } from 'react';

/**
 * Display preferences, kept per device: a handheld scanner and a desk have different needs.
 * Theme follows the operating system unless chosen; density is comfortable by default (touch).
 */
export type ThemePreference = 'system' | 'light' | 'dark';
export type DensityPreference = 'comfortable' | 'compact';

const THEME_KEY = 'qm.theme';
const DENSITY_KEY = 'qm.density';

export function readTheme(): ThemePreference {
  const v = localStorage.getItem(THEME_KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

export function readDensity(): DensityPreference {
  return localStorage.getItem(DENSITY_KEY) === 'compact' ? 'compact' : 'comfortable';
}

const darkQuery = () => window.matchMedia?.('(prefers-color-scheme: dark)');
let unsubscribe: (() => void) | undefined;

export function applyTheme(theme: ThemePreference): void {
  localStorage.setItem(THEME_KEY, theme);
  unsubscribe?.();
  unsubscribe = undefined;
  if (theme === 'system') {
    const q = darkQuery();
    const apply = () => applyMode(q?.matches ? Mode.Dark : Mode.Light);
    apply();
    q?.addEventListener('change', apply);
    unsubscribe = () => q?.removeEventListener('change', apply);
  } else {
    applyMode(theme === 'dark' ? Mode.Dark : Mode.Light);
  }
}

export function applyDensityPreference(density: DensityPreference): void {
  localStorage.setItem(DENSITY_KEY, density);
  applyDensity(density === 'compact' ? Density.Compact : Density.Comfortable);
}

/**
 * My site: the location a person works at, kept per user on this device. Every stock dialog and
 * location filter starts from it; with none set, a dialog that acts on one location asks.
 */
const SITE_KEY = (username: string) => `qm.site:${username}`;
const SITE_CHANGED = 'qm-site-changed';

export function readMySite(username: string): string | undefined {
  return localStorage.getItem(SITE_KEY(username)) || undefined;
}

export function writeMySite(username: string, locationId: string | undefined): void {
  if (locationId) localStorage.setItem(SITE_KEY(username), locationId);
  else localStorage.removeItem(SITE_KEY(username));
  window.dispatchEvent(new Event(SITE_CHANGED));
}

const subscribeSite = (onChange: () => void) => {
  // Same tab (our event) and other tabs (storage) alike.
  window.addEventListener(SITE_CHANGED, onChange);
  window.addEventListener('storage', onChange);
  return () => {
    window.removeEventListener(SITE_CHANGED, onChange);
    window.removeEventListener('storage', onChange);
  };
};

/** The user's site and a setter; every screen using it follows a change made anywhere. */
export function useMySite(
  username: string | undefined,
): [string | undefined, (id: string | undefined) => void] {
  const site = useSyncExternalStore(subscribeSite, () => (username ? readMySite(username) : undefined));
  const set = useCallback(
    (id: string | undefined) => {
      if (username) writeMySite(username, id);
    },
    [username],
  );
  return [site, set];
}
