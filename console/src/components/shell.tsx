import AppLayout from '@cloudscape-design/components/app-layout';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Flashbar from '@cloudscape-design/components/flashbar';
import { I18nProvider } from '@cloudscape-design/components/i18n';
import messages from '@cloudscape-design/components/i18n/messages/all.en';
import SideNavigation, { type SideNavigationProps } from '@cloudscape-design/components/side-navigation';
import Spinner from '@cloudscape-design/components/spinner';
import SplitPanel from '@cloudscape-design/components/split-panel';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import { Suspense, useEffect, useState } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { type Area, can, canSee } from '../app/access.ts';
import { ChromeProvider, useChrome } from '../app/chrome.tsx';
import { ROLE_LABELS } from '../app/identity.ts';
import { NotificationsProvider, useNotifications } from '../app/notifications.tsx';
import {
  applyDensityPreference,
  applyTheme,
  type DensityPreference,
  readDensity,
  readTheme,
  type ThemePreference,
} from '../app/preferences.ts';
import { useSession } from '../app/session.tsx';
import { useFollow } from './links.tsx';
import { useMySiteUtility } from './my-site.tsx';

interface NavEntry {
  area: Area;
  text: string;
  href: string;
  /** `route`: shown only to roles that may call it (pick and pack are for the floor). */
  children?: { text: string; href: string; route?: string }[];
}

/** The console's areas in the order ops staff use them; each is shown only to roles that may use it. */
export const NAV: readonly NavEntry[] = [
  { area: 'overview', text: 'Overview', href: '/' },
  { area: 'inventory', text: 'Inventory', href: '/inventory' },
  { area: 'orders', text: 'Orders', href: '/orders' },
  { area: 'intake', text: 'Intake exceptions', href: '/intake' },
  {
    area: 'warehouse',
    text: 'Warehouse',
    href: '/warehouse',
    children: [
      { text: 'Waves', href: '/warehouse' },
      { text: 'Pick', href: '/warehouse/pick', route: 'GET /api/pick-tasks/next' },
      { text: 'Pack station', href: '/warehouse/pack', route: 'POST /api/fulfillments/{id}/pack-scans' },
      { text: 'Receive', href: '/warehouse/receive', route: 'POST /api/receipts/{asnId}/scans' },
      { text: 'Put away', href: '/warehouse/putaway', route: 'POST /api/putaway-tasks/{taskId}/confirm' },
      { text: 'Count', href: '/warehouse/count', route: 'POST /api/count-tasks/{taskId}/submit' },
      { text: 'Count approvals', href: '/warehouse/variances', route: 'GET /api/count-variances' },
    ],
  },
  {
    area: 'purchasing',
    text: 'Purchasing',
    href: '/purchasing',
    children: [
      { text: 'Purchase orders', href: '/purchasing' },
      { text: 'Suppliers', href: '/purchasing/suppliers', route: 'GET /api/suppliers' },
      { text: 'Transfers', href: '/purchasing/transfers', route: 'GET /api/transfers' },
    ],
  },
  {
    area: 'returns',
    text: 'Returns',
    href: '/returns',
    children: [
      { text: 'All returns', href: '/returns' },
      { text: 'Dock receiving', href: '/returns/dock', route: 'POST /api/returns/{id}/receipts' },
    ],
  },
  { area: 'finance', text: 'Finance', href: '/finance' },
  { area: 'planning', text: 'Planning', href: '/planning' },
  { area: 'kpis', text: 'KPIs', href: '/kpis' },
  { area: 'alerts', text: 'Alerts', href: '/alerts' },
  { area: 'settings', text: 'Settings', href: '/settings' },
  { area: 'audit', text: 'Audit trail', href: '/audit' },
];

function activeHref(pathname: string): string {
  if (pathname === '/') return '/';
  // A section's first child shares the section's href: only the other children match by prefix.
  const child = NAV.flatMap((n) => (n.children ?? []).filter((c) => c.href !== n.href)).find((c) =>
    pathname.startsWith(c.href),
  );
  if (child) return child.href;
  return NAV.find((n) => n.href !== '/' && pathname.startsWith(n.href))?.href ?? pathname;
}

function TopBar() {
  const { config, user, signOut } = useSession();
  const navigate = useNavigate();
  const [theme, setTheme] = useState<ThemePreference>(readTheme);
  const [density, setDensity] = useState<DensityPreference>(readDensity);
  const mySite = useMySiteUtility();
  if (!user) return null;
  const stage = config.mode === 'local' ? 'Local' : (config.stage ?? 'AWS');
  return (
    <TopNavigation
      identity={{ href: '/', title: 'Quartermaster', logo: { src: '/favicon.svg', alt: '' } }}
      utilities={[
        { type: 'button', text: stage, title: `Environment: ${stage}` },
        ...(mySite ? [mySite] : []),
        {
          type: 'menu-dropdown',
          iconName: 'settings',
          ariaLabel: 'Display preferences',
          title: 'Display',
          items: [
            {
              id: 'theme',
              text: 'Theme',
              items: (['system', 'light', 'dark'] as const).map((t) => ({
                id: `theme-${t}`,
                text: `${t === 'system' ? 'Match device' : t === 'light' ? 'Light' : 'Dark'}${theme === t ? ' ✓' : ''}`,
              })),
            },
            {
              id: 'density',
              text: 'Density',
              items: (['comfortable', 'compact'] as const).map((d) => ({
                id: `density-${d}`,
                text: `${d === 'comfortable' ? 'Comfortable (touch)' : 'Compact (desk)'}${density === d ? ' ✓' : ''}`,
              })),
            },
          ],
          onItemClick: ({ detail }) => {
            if (detail.id.startsWith('theme-')) {
              const t = detail.id.slice(6) as ThemePreference;
              applyTheme(t);
              setTheme(t);
            } else if (detail.id.startsWith('density-')) {
              const d = detail.id.slice(8) as DensityPreference;
              applyDensityPreference(d);
              setDensity(d);
            }
          },
        },
        {
          type: 'menu-dropdown',
          text: user.username,
          description: user.roles.map((r) => ROLE_LABELS[r]).join(', ') || 'No role',
          iconName: 'user-profile',
          items: [{ id: 'signout', text: 'Sign out' }],
          onItemClick: async ({ detail }) => {
            if (detail.id === 'signout') {
              await signOut();
              navigate('/signin');
            }
          },
        },
      ]}
    />
  );
}

function Layout() {
  const { user } = useSession();
  const { items } = useNotifications();
  const chrome = useChrome();
  const location = useLocation();
  const follow = useFollow();
  const [navOpen, setNavOpen] = useState(() => window.matchMedia?.('(min-width: 688px)').matches ?? true);
  const [splitOpen, setSplitOpen] = useState(true);
  // A newly selected item opens the split panel again, even if the user closed it for the previous one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the header identifies the selected item.
  useEffect(() => setSplitOpen(true), [chrome.splitPanel?.header]);
  if (!user) return null;

  const navItems: SideNavigationProps.Item[] = NAV.filter((n) => canSee(user.roles, n.area)).map((n) =>
    n.children
      ? {
          type: 'expandable-link-group',
          text: n.text,
          href: n.href,
          defaultExpanded: true,
          items: n.children
            .filter((c) => !c.route || can(user.roles, c.route))
            .map((c) => ({ type: 'link', text: c.text, href: c.href })),
        }
      : { type: 'link', text: n.text, href: n.href },
  );

  return (
    <AppLayout
      headerSelector="#qm-top-nav"
      navigationOpen={navOpen}
      onNavigationChange={({ detail }) => setNavOpen(detail.open)}
      navigation={
        <div data-testid="side-nav">
          <SideNavigation
            header={{ text: 'Operations', href: '/' }}
            activeHref={activeHref(location.pathname)}
            items={navItems}
            onFollow={(e) => {
              follow(e);
              if (!window.matchMedia?.('(min-width: 688px)').matches) setNavOpen(false);
            }}
          />
        </div>
      }
      breadcrumbs={
        chrome.breadcrumbs.length > 1 ? (
          <BreadcrumbGroup items={chrome.breadcrumbs} onFollow={follow} ariaLabel="Breadcrumbs" />
        ) : undefined
      }
      notifications={items.length ? <Flashbar items={items} stackItems={items.length > 2} /> : undefined}
      toolsHide
      splitPanel={
        chrome.splitPanel ? (
          <SplitPanel header={chrome.splitPanel.header} hidePreferencesButton closeBehavior="hide">
            {chrome.splitPanel.content}
          </SplitPanel>
        ) : undefined
      }
      splitPanelOpen={!!chrome.splitPanel && splitOpen}
      onSplitPanelToggle={({ detail }) => setSplitOpen(detail.open)}
      splitPanelPreferences={{ position: 'bottom' }}
      content={
        <Suspense fallback={<Spinner size="large" />}>
          <Outlet />
        </Suspense>
      }
    />
  );
}

/** The signed-in application frame: top bar, side navigation, breadcrumbs, notifications. */
export function Shell() {
  const { user, endedReason } = useSession();
  const location = useLocation();
  if (!user) {
    const next = `${location.pathname}${location.search}`;
    const params = new URLSearchParams(next !== '/' ? { next } : {});
    if (endedReason) params.set('ended', '1');
    const qs = params.toString();
    return <Navigate to={`/signin${qs ? `?${qs}` : ''}`} replace />;
  }
  // The components' default strings (aria labels, table and filter texts) load with the frame,
  // not with the first page: the sign-in page has its own words.
  return (
    <I18nProvider locale="en" messages={[messages]}>
      <NotificationsProvider>
        <ChromeProvider>
          <div id="qm-top-nav" className="qm-top-nav">
            <TopBar />
          </div>
          <Layout />
        </ChromeProvider>
      </NotificationsProvider>
    </I18nProvider>
  );
}
