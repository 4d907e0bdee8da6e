import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import { useNavigate, useParams } from 'react-router';
import { can, knownRoutes } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { ROLE_LABELS, ROLES } from '../../app/identity.ts';
import { useSession, useUser } from '../../app/session.tsx';
import { ComingWith } from '../../components/states.tsx';
import { ChannelsTab } from './channels.tsx';
import { LocationsTab } from './locations.tsx';
import { RoutingRulesTab } from './routing-rules.tsx';

/** Who may call what: the API's route table as this console was built with it. */
function RoleMatrix() {
  const routes = knownRoutes();
  return (
    <Table
      data-testid="role-matrix"
      variant="container"
      header={
        <Header
          counter={`(${routes.length})`}
          description="From the API's route table. Routes marked planned are not served yet; their roles may change when they land."
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
          cell: (r) => (
            <SpaceBetween direction="horizontal" size="xs">
              <code>{r.key}</code>
              {!r.declared && <StatusIndicator type="pending">planned</StatusIndicator>}
            </SpaceBetween>
          ),
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

function UsersTab() {
  const { config } = useSession();
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Users</Header>}>
        {config.mode === 'local' ? (
          <Box>
            Locally there are no accounts: anyone signs in as any role through the local identity provider. On
            AWS, users live in the Cognito user pool and their role is their Cognito group (one group per
            role).
          </Box>
        ) : (
          <ComingWith workflow="user management in the API (invite, assign roles, disable)">
            <Box color="text-body-secondary">
              Meanwhile, manage users and their groups in the Cognito user pool.
            </Box>
          </ComingWith>
        )}
      </Container>
      <RoleMatrix />
    </SpaceBetween>
  );
}

const TABS = [
  { id: 'locations', label: 'Locations and bins', route: 'PUT /api/locations/{id}' },
  {
    id: 'channels',
    label: 'Channels',
    routes: ['PUT /api/channels/{channelId}', 'PUT /api/channels/{channelId}/listings/{externalId}'],
  },
  { id: 'routing', label: 'Routing rules', route: 'PUT /api/routing-rules' },
  { id: 'carriers', label: 'Carriers and cutoffs', route: 'PUT /api/carriers/{carrierId}' },
  { id: 'users', label: 'Users and roles', route: 'GET /api/users' },
] as const;

export default function Settings() {
  const user = useUser();
  const navigate = useNavigate();
  const { tab } = useParams();
  const visible = TABS.filter((t) => ('routes' in t ? t.routes : [t.route]).some((r) => can(user.roles, r)));
  const active = visible.find((t) => t.id === tab) ?? visible[0];
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
      case 'carriers':
        return (
          <Container
            header={
              <Header
                variant="h2"
                description="Carriers per location and their daily cutoff times, which drive wave planning."
              >
                Carriers and cutoffs
              </Header>
            }
          >
            <ComingWith workflow="the fulfillment workflow" />
          </Container>
        );
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
      <Tabs
        activeTabId={active?.id}
        onChange={({ detail }) => navigate(`/settings/${detail.activeTabId}`)}
        tabs={visible.map((t) => ({ id: t.id, label: t.label, content: content(t.id) }))}
      />
    </ContentLayout>
  );
}
