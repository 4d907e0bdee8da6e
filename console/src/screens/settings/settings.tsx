import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import { useNavigate, useParams } from 'react-router';
import { can, declaredRoutes, isDeclared, type RouteKey, undeclared } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { ROLE_LABELS, ROLES } from '../../app/identity.ts';
import { useSession, useUser } from '../../app/session.tsx';
import { ComingWith, NotAvailable } from '../../components/states.tsx';
import { BinsTab } from './bins.tsx';
import { CarriersTab } from './carriers.tsx';
import { ChannelsTab } from './channels.tsx';
import { LocationsTab } from './locations.tsx';
import { RoutingRulesTab } from './routing-rules.tsx';

/** Who may call what: the API's route table (the manifest) as this console was built with it. */
function RoleMatrix() {
  const routes = declaredRoutes();
  return (
    <Table
      data-testid="role-matrix"
      variant="container"
      header={
        <Header
          counter={`(${routes.length})`}
          description="From the API's route table: every route this deployment serves and the roles it admits."
        >
          Roles and permissions
        </Header>
      }
      items={routes}
      trackBy="key"
      stickyColumns={{ first: 1 }}
      wrapLines={false}
      columnDefinitions={[
        {
          id: 'route',
          header: 'Route',
          cell: (r) => <code>{r.key}</code>,
          isRowHeader: true,
        },
        ...ROLES.map((role) => ({
          id: role,
          header: ROLE_LABELS[role],
          cell: (r: (typeof routes)[number]) =>
            r.roles.includes(role) ? (
              <StatusIndicator type="success">Allowed</StatusIndicator>
            ) : (
              <Box color="text-status-inactive">—</Box>
            ),
        })),
      ]}
    />
  );
}

const LIST_USERS = 'GET /api/users';

function UsersTab() {
  const { config } = useSession();
  const user = useUser();
  const users =
    config.mode === 'local' ? (
      <Box>
        Locally there are no accounts: anyone signs in as any role through the local identity provider. On
        AWS, users live in the Cognito user pool and their role is their Cognito group (one group per role).
      </Box>
    ) : !isDeclared(LIST_USERS) ? (
      <NotAvailable route={LIST_USERS}>
        <Box color="text-body-secondary">
          Meanwhile, manage users and their groups in the Cognito user pool.
        </Box>
      </NotAvailable>
    ) : can(user.roles, LIST_USERS) ? (
      <ComingWith workflow="user management in the console (invite, assign roles, disable)" />
    ) : null;
  return (
    <SpaceBetween size="l">
      {users && <Container header={<Header variant="h2">Users</Header>}>{users}</Container>}
      <RoleMatrix />
    </SpaceBetween>
  );
}

/**
 * The tabs and the routes that decide who sees each. "Users and roles" needs none: the role
 * matrix is the manifest itself, shown to everyone who may use settings.
 */
const TABS: readonly { id: string; label: string; routes: readonly RouteKey[] }[] = [
  { id: 'locations', label: 'Locations', routes: ['PUT /api/locations/{id}'] },
  {
    id: 'bins',
    label: 'Bins and waves',
    routes: ['PUT /api/locations/{id}/bins/{binId}', 'PUT /api/fulfillment-settings/{locationId}'],
  },
  {
    id: 'channels',
    label: 'Channels',
    routes: [
      'PUT /api/channels/{channelId}',
      'PUT /api/channels/{channelId}/listings/{externalId}',
      'GET /api/channels/{channelId}/sync',
    ],
  },
  { id: 'routing', label: 'Routing rules', routes: ['PUT /api/routing-rules'] },
  { id: 'carriers', label: 'Carriers and cutoffs', routes: ['PUT /api/carriers/{carrierId}'] },
  { id: 'users', label: 'Users and roles', routes: [] },
];

export default function Settings() {
  const user = useUser();
  const navigate = useNavigate();
  const { tab } = useParams();
  const visible = TABS.filter((t) => t.routes.length === 0 || t.routes.some((r) => can(user.roles, r)));
  const active = visible.find((t) => t.id === tab) ?? visible[0];
  // A link to a tab whose routes are not part of this deployment says so above the tabs.
  const requested = TABS.find((t) => t.id === tab);
  const missing = requested && requested.routes.length > 0 ? undeclared(requested.routes) : [];
  const unavailable = requested && missing.length === requested.routes.length ? requested : undefined;
  usePage('Settings', [
    { text: 'Settings', href: '/settings' },
    ...(active ? [{ text: active.label, href: `/settings/${active.id}` }] : []),
  ]);

  const content = (id: string) => {
    switch (id) {
      case 'locations':
        return <LocationsTab />;
      case 'channels':
        return <ChannelsTab />;
      case 'routing':
        return <RoutingRulesTab />;
      case 'bins':
        return <BinsTab />;
      case 'carriers':
        return <CarriersTab />;
      default:
        return <UsersTab />;
    }
  };

  return (
    <ContentLayout
      header={
        <Header variant="h1" description="Locations and bins, channels, routing, carriers, users and roles.">
          Settings
        </Header>
      }
    >
      <SpaceBetween size="l">
        {unavailable && (
          <div data-testid="settings-unavailable">
            <NotAvailable route={missing}>
              <span>{unavailable.label}: nothing to set up on this deployment.</span>
            </NotAvailable>
          </div>
        )}
        <Tabs
          activeTabId={active?.id}
          onChange={({ detail }) => navigate(`/settings/${detail.activeTabId}`)}
          tabs={visible.map((t) => ({ id: t.id, label: t.label, content: content(t.id) }))}
        />
      </SpaceBetween>
    </ContentLayout>
  );
}
