import { applyDensity, applyMode, Density, Mode } from '@cloudscape-design/global-styles';

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
