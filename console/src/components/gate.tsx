import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import type { ReactNode } from 'react';
import { type Area, areaAccess } from '../app/access.ts';
import { usePage } from '../app/chrome.tsx';
import { useUser } from '../app/session.tsx';
import { NoAccess } from './states.tsx';

const AREA_NAMES: Record<Area, string> = {
  overview: 'Overview',
  inventory: 'Inventory',
  orders: 'Orders',
  intake: 'Intake exceptions',
  warehouse: 'Warehouse',
  purchasing: 'Purchasing',
  returns: 'Returns',
  finance: 'Finance',
  planning: 'Planning',
  kpis: 'KPIs',
  alerts: 'Alerts',
  settings: 'Settings',
  audit: 'The audit trail',
};

function Refused({ area }: { area: Area }) {
  const user = useUser();
  usePage('No access');
  return (
    <ContentLayout header={<Header variant="h1">{AREA_NAMES[area].replace(/^The a/, 'A')}</Header>}>
      <NoAccess roles={user.roles} what={AREA_NAMES[area]} />
    </ContentLayout>
  );
}

/**
 * A deep link to an area the role may not use shows "no access" instead of the screen. The API
 * refuses the calls anyway (403); this only spares the user a screen full of errors. An area
 * whose routes are not part of this deployment refuses nobody: its screen says it is not
 * available yet.
 */
export function Gate({ area, children }: { area: Area; children: ReactNode }) {
  const user = useUser();
  return areaAccess(user.roles, area) === 'refused' ? <Refused area={area} /> : children;
}
