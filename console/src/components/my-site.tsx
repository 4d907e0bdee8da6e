import type { TopNavigationProps } from '@cloudscape-design/components/top-navigation';
import { endpoints } from '../api/endpoints.ts';
import type { Location } from '../api/types.ts';
import { can } from '../app/access.ts';
import { useMySite } from '../app/preferences.ts';
import { useSession } from '../app/session.tsx';
import { useResource } from '../app/use-resource.ts';

const LIST_LOCATIONS = 'GET /api/locations';
const FRESH_MS = 60_000;
let shared: { at: number; list: Promise<Location[]> } | undefined;

/** Every stocking location, shared by the top bar, the filters and the dialogs (one request a minute). */
export function useLocations(): Location[] {
  const { user } = useSession();
  const allowed = !!user && can(user.roles, LIST_LOCATIONS);
  const list = useResource<Location[]>(allowed ? 'locations' : null, () => {
    if (!shared || Date.now() - shared.at > FRESH_MS) {
      const list = endpoints.listLocations().then((p) => p.items);
      list.catch(() => {
        shared = undefined;
      });
      shared = { at: Date.now(), list };
    }
    return shared.list;
  });
  return list.data ?? [];
}

/**
 * The top bar's "My site" menu: the location this person works at, preselected in every stock
 * dialog and location filter. Nothing is preselected until one is chosen.
 */
export function useMySiteUtility(): TopNavigationProps.Utility | undefined {
  const { user } = useSession();
  const [site, setSite] = useMySite(user?.username);
  const locations = useLocations();
  if (!user || locations.length === 0) return undefined;
  return {
    type: 'menu-dropdown',
    iconName: 'location-pin',
    text: site ? `My site: ${site}` : 'Choose my site',
    ariaLabel: site ? `My site: ${site}` : 'Choose my site',
    title: 'My site',
    description: 'Preselected in stock dialogs and filters',
    items: [
      ...locations.map((l) => ({
        id: `site:${l.locationId}`,
        text: `${l.locationId}${site === l.locationId ? ' ✓' : ''}`,
        secondaryText: l.name,
      })),
      ...(site ? [{ id: 'site-clear', text: 'No default site' }] : []),
    ],
    onItemClick: ({ detail }) => setSite(detail.id.startsWith('site:') ? detail.id.slice(5) : undefined),
  };
}
