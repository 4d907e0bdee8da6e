import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Grid from '@cloudscape-design/components/grid';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { ReactNode } from 'react';
import { endpoints } from '../../api/endpoints.ts';
import type {
  AuditEntry,
  Fulfillment,
  IntakeExceptionSummary,
  JournalEntry,
  OrderCounts,
  OrderStatusName,
  Page,
} from '../../api/types.ts';
import { type Area, can, canSee } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { ROLE_LABELS, type Role } from '../../app/identity.ts';
import { useMySite } from '../../app/preferences.ts';
import { describeReason } from '../../app/reasons.ts';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { Delta, formatDateTime } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, AuditOutcome, EmptyState } from '../../components/states.tsx';
import { describeAction } from '../audit/action-phrases.ts';
import { BACKLOG_ROUTE, BacklogChart } from '../orders/backlog-chart.tsx';
import { formatAge, STATUS_LABELS, useOrderCounts } from '../orders/order-queues.ts';

/** One figure that links to the list behind it; says plainly when its data is not served yet. */
function Tile(props: {
  title: string;
  href: string;
  linkText: string;
  value?: ReactNode;
  /** Instead of one large figure (several small ones). */
  children?: ReactNode;
  pending?: string;
  description: string;
  testId: string;
}) {
  return (
    <Container
      data-testid={props.testId}
      fitHeight
      header={
        <Header variant="h2" description={props.description}>
          {props.title}
        </Header>
      }
      footer={<RouterLink href={props.href}>{props.linkText}</RouterLink>}
    >
      {props.children ??
        (props.value !== undefined ? (
          <Box variant="awsui-value-large">
            <span data-testid={`${props.testId}-value`}>{props.value}</span>
          </Box>
        ) : (
          <StatusIndicator type="pending">{props.pending ?? 'Not available yet'}</StatusIndicator>
        ))}
    </Container>
  );
}

const ORDER_COUNTS = 'GET /api/orders/counts';
/** The queues the Overview counts (exact, from the status index). */
const OVERVIEW_STATUSES: readonly OrderStatusName[] = [
  'received',
  'on_hold',
  'backordered',
  'released',
  'picking',
  'failed',
];
const queueHref = (status: OrderStatusName) => `/orders?status=${status}`;

interface Counts {
  data: OrderCounts | undefined;
  failed: boolean;
}

/** "oldest 3 d": how long the first order in a queue has waited since it was placed. */
function oldestText(counts: Counts, status: OrderStatusName): string | undefined {
  const placedAt = counts.data?.oldest[status];
  if (!placedAt) return undefined;
  return `oldest ${formatAge(Math.max(0, Math.floor((Date.now() - Date.parse(placedAt)) / 1000)))}`;
}

const shown = (counts: Counts, n: number | undefined) =>
  n === undefined ? '…' : `${n}${counts.data?.truncated ? '+' : ''}`;

/** Orders per work queue, each count a link into that queue. */
function OrdersByStatusTile({ counts }: { counts: Counts }) {
  return (
    <Tile
      testId="tile-orders"
      title="Orders by status"
      description="Orders in each queue, newest first in the list"
      href="/orders"
      linkText="View orders"
    >
      {counts.failed ? (
        <StatusIndicator type="pending">Could not load</StatusIndicator>
      ) : (
        <KeyValuePairs
          columns={3}
          items={OVERVIEW_STATUSES.map((s) => ({
            label: STATUS_LABELS[s],
            value: (
              <RouterLink href={queueHref(s)} fontSize="heading-m" data-testid={`tile-orders-${s}`}>
                {shown(counts, counts.data?.counts[s])}
              </RouterLink>
            ),
          }))}
        />
      )}
    </Tile>
  );
}

function QueueTile(props: {
  counts: Counts;
  status: OrderStatusName | 'at_risk';
  testId: string;
  title: string;
  description: string;
  linkText: string;
  /** Counts of one location: the queue link filters to it too. */
  locationId?: string;
}) {
  const { counts, status } = props;
  const site = props.locationId ? `&locationId=${encodeURIComponent(props.locationId)}` : '';
  const href = status === 'at_risk' ? `/orders?queue=at_risk${site}` : `${queueHref(status)}${site}`;
  const value = status === 'at_risk' ? counts.data?.atRisk.count : counts.data?.counts[status];
  const oldest = status === 'at_risk' ? undefined : oldestText(counts, status);
  return (
    <Tile
      testId={props.testId}
      title={props.title}
      description={props.description}
      href={href}
      linkText={props.linkText}
      pending="Could not load"
    >
      {counts.failed ? undefined : (
        <SpaceBetween size="xxs">
          <Box variant="awsui-value-large">
            {/* The figure itself opens the queue: the count is the way in. */}
            <RouterLink href={href} fontSize="display-l" data-testid={`${props.testId}-value`}>
              {shown(counts, value)}
            </RouterLink>
          </Box>
          <Box color="text-body-secondary" data-testid={`${props.testId}-oldest`}>
            {oldest ?? (value === 0 ? 'Nothing waiting' : '\u00a0')}
          </Box>
        </SpaceBetween>
      )}
    </Tile>
  );
}

function IntakeTile() {
  const open = useResource<Page<IntakeExceptionSummary>>('overview:intake', (signal) =>
    endpoints.intakeExceptions({ status: 'open', limit: 100 }, signal),
  );
  const value = open.error
    ? undefined
    : open.data
      ? `${open.data.items.length}${open.data.nextCursor ? '+' : ''}`
      : '…';
  return (
    <Tile
      testId="tile-intake"
      title="Intake exceptions"
      description="Channel deliveries that could not become orders"
      href="/intake"
      linkText="Review exceptions"
      value={value}
      pending={open.error?.notAvailable ? 'Coming with intake exception review' : 'Could not load'}
    />
  );
}

/**
 * Orders at my site waiting for a wave that may miss their carrier cutoff (planning flags them
 * CutoffAtRisk and puts them first); the board behind it plans the next wave.
 */
function CutoffRiskTile({ locationId }: { locationId?: string | undefined }) {
  const ready = useResource<Page<Fulfillment>>(
    locationId ? `overview:cutoff-risk:${locationId}` : null,
    (signal) => endpoints.listFulfillments({ locationId: locationId as string, status: 'released' }, signal),
  );
  const atRisk = ready.data?.items.filter((f) => f.atRisk).length;
  return (
    <Tile
      testId="tile-waves"
      title="Cutoff at risk"
      description={
        locationId
          ? `Orders at ${locationId} waiting for a wave that may miss their carrier cutoff`
          : 'Orders that may miss their carrier cutoff (choose my site to see one)'
      }
      href={locationId ? `/warehouse?location=${encodeURIComponent(locationId)}` : '/warehouse'}
      linkText="View waves"
      value={
        !locationId || ready.error
          ? undefined
          : atRisk === undefined
            ? '…'
            : `${atRisk}${ready.data?.nextCursor ? '+' : ''}`
      }
      pending={locationId ? 'Could not load' : 'Choose my site'}
    />
  );
}

const WEEK_MS = 7 * 86_400_000;

/** Mismatches the invariant checker reported in the last 7 days (it journals each one). */
function MismatchTile() {
  const events = useResource<Page<JournalEntry>>('overview:mismatches', (signal) =>
    endpoints.events({ type: 'InventoryMismatchDetected', limit: 100 }, signal),
  );
  const recent = events.data?.items.filter((e) => Date.parse(e.occurredAt) > Date.now() - WEEK_MS).length;
  return (
    <Tile
      testId="tile-mismatches"
      title="Inventory mismatches"
      description="Positions that broke an invariant, last 7 days"
      href="/inventory?tab=mismatches"
      linkText="Review mismatches"
      value={events.error ? undefined : recent === undefined ? '…' : recent === 100 ? '100+' : recent}
      pending="Could not load"
    />
  );
}

function RecentAdjustments() {
  const events = useResource<Page<JournalEntry>>('overview:adjustments', (signal) =>
    endpoints.events({ type: 'StockAdjusted', limit: 8 }, signal),
  );
  type Data = { sku?: string; locationId?: string; delta?: number; reason?: string; actor?: string };
  const d = (e: JournalEntry) => (e.data ?? {}) as Data;
  return (
    <Table<JournalEntry>
      data-testid="recent-adjustments"
      variant="container"
      header={
        <Header description="The latest manual stock adjustments, from the event journal">
          Recent adjustments
        </Header>
      }
      loading={events.loading}
      loadingText="Loading"
      items={events.data?.items ?? []}
      trackBy="eventId"
      empty={
        events.error ? (
          <ApiErrorAlert error={events.error} onRetry={events.reload} />
        ) : (
          <EmptyState title="No adjustments yet" />
        )
      }
      columnDefinitions={[
        { id: 'at', header: 'When', cell: (e) => formatDateTime(e.occurredAt) },
        {
          id: 'sku',
          header: 'SKU',
          cell: (e) =>
            d(e).sku ? (
              <RouterLink href={`/inventory/${encodeURIComponent(d(e).sku!)}?tab=ledger`}>
                {d(e).sku}
              </RouterLink>
            ) : (
              '—'
            ),
        },
        { id: 'location', header: 'Location', cell: (e) => d(e).locationId ?? '—' },
        { id: 'delta', header: 'Change', cell: (e) => <Delta value={d(e).delta ?? 0} /> },
        { id: 'reason', header: 'Reason', cell: (e) => describeReason(d(e).reason ?? '') || '—' },
        { id: 'actor', header: 'By', cell: (e) => d(e).actor ?? '—' },
      ]}
    />
  );
}

function RecentActivity() {
  const audit = useResource<Page<AuditEntry>>('overview:audit', (signal) =>
    endpoints.audit({ limit: 8 }, signal),
  );
  return (
    <Table<AuditEntry>
      data-testid="recent-activity"
      variant="container"
      header={
        <Header
          description="Commands from the audit trail"
          actions={<RouterLink href="/audit">Open the audit trail</RouterLink>}
        >
          Recent activity
        </Header>
      }
      loading={audit.loading}
      loadingText="Loading"
      items={audit.data?.items ?? []}
      trackBy="auditId"
      empty={
        audit.error ? (
          <ApiErrorAlert error={audit.error} onRetry={audit.reload} />
        ) : (
          <EmptyState title="No commands in the last 7 days" />
        )
      }
      columnDefinitions={[
        { id: 'at', header: 'When', cell: (e) => formatDateTime(e.at) },
        { id: 'actor', header: 'Actor', cell: (e) => e.actor },
        {
          id: 'action',
          header: 'Action',
          cell: (e) => <RouterLink href={`/audit?entry=${e.auditId}`}>{describeAction(e.action)}</RouterLink>,
        },
        {
          id: 'outcome',
          header: 'Outcome',
          cell: (e) => <AuditOutcome outcome={e.outcome} status={e.status} />,
        },
      ]}
    />
  );
}

type TileId =
  | 'to-pick'
  | 'at-risk'
  | 'holds'
  | 'failed'
  | 'backorders'
  | 'orders'
  | 'waves'
  | 'intake'
  | 'mismatches';

interface TileSpec {
  id: TileId;
  area: Area;
  node: ReactNode;
}

/**
 * Each role's own work first: the floor sees what is released to pick, customer service the
 * holds and exceptions it resolves, finance the payment holds, supervisors what is going late.
 * Tiles a role has no rank for follow in the order below.
 */
const ROLE_FIRST: Record<Role, readonly TileId[]> = {
  'warehouse-associate': ['to-pick', 'at-risk', 'waves'],
  'customer-service': ['holds', 'failed', 'intake', 'backorders'],
  finance: ['holds', 'failed', 'orders'],
  supervisor: ['at-risk', 'holds', 'backorders', 'failed', 'intake', 'orders'],
  admin: ['at-risk', 'holds', 'backorders', 'failed', 'intake', 'orders'],
  'inventory-controller': ['mismatches', 'backorders'],
};
const DEFAULT_ORDER: readonly TileId[] = [
  'at-risk',
  'holds',
  'backorders',
  'failed',
  'to-pick',
  'orders',
  'intake',
  'mismatches',
  'waves',
];

function rank(roles: readonly Role[], id: TileId): number {
  const ranks = roles.map((r) => ROLE_FIRST[r]?.indexOf(id) ?? -1).filter((i) => i >= 0);
  return ranks.length > 0 ? Math.min(...ranks) : 100 + DEFAULT_ORDER.indexOf(id);
}

export default function Overview() {
  usePage('Overview');
  const user = useUser();
  const countsOrders = can(user.roles, ORDER_COUNTS);
  const orderCounts = useOrderCounts(countsOrders ? 'overview' : null);
  const counts: Counts = { data: orderCounts.data, failed: Boolean(orderCounts.error) };
  // What is released to pick is counted at the person's own site when they have chosen one.
  const [mySite] = useMySite(user.username);
  const siteCounts = useOrderCounts(countsOrders && mySite ? 'overview-site' : null, mySite);
  const pickCounts: Counts = mySite ? { data: siteCounts.data, failed: Boolean(siteCounts.error) } : counts;
  const queue = (
    id: TileId,
    props: Omit<Parameters<typeof QueueTile>[0], 'counts'>,
    from: Counts = counts,
  ): TileSpec => ({
    id,
    area: 'orders',
    node: <QueueTile counts={from} {...props} />,
  });
  const all: TileSpec[] = [
    ...(countsOrders
      ? [
          queue(
            'to-pick',
            {
              status: 'released',
              testId: 'tile-to-pick',
              title: mySite ? `Released to pick at ${mySite}` : 'Released to pick',
              description: mySite
                ? 'Orders released to my site, waiting to be picked'
                : 'Orders released to a warehouse or store, waiting to be picked (choose my site to see one)',
              linkText: 'View orders to pick',
              ...(mySite ? { locationId: mySite } : {}),
            },
            pickCounts,
          ),
          queue('at-risk', {
            status: 'at_risk',
            testId: 'tile-at-risk',
            title: 'At risk',
            description: 'Released, picking or packed, and placed more than a day ago',
            linkText: 'View orders at risk',
          }),
          queue('holds', {
            status: 'on_hold',
            testId: 'tile-holds',
            title: 'Holds',
            description: 'Orders waiting on payment, fraud, address or manual checks',
            linkText: 'View held orders',
          }),
          queue('backorders', {
            status: 'backordered',
            testId: 'tile-backorders',
            title: 'Backorders',
            description: 'Orders waiting for stock',
            linkText: 'View backorders',
          }),
          queue('failed', {
            status: 'failed',
            testId: 'tile-failed',
            title: 'Failed orders',
            description: 'Orders the release workflow could not route; retry or cancel them',
            linkText: 'View failed orders',
          }),
          { id: 'orders' as TileId, area: 'orders' as Area, node: <OrdersByStatusTile counts={counts} /> },
        ]
      : []),
    { id: 'waves', area: 'warehouse', node: <CutoffRiskTile locationId={mySite} /> },
    { id: 'intake', area: 'intake', node: <IntakeTile /> },
    ...(can(user.roles, 'GET /api/events')
      ? [{ id: 'mismatches' as TileId, area: 'inventory' as Area, node: <MismatchTile /> }]
      : []),
  ];
  const tiles = all
    .filter((t) => canSee(user.roles, t.area))
    .sort((a, b) => rank(user.roles, a.id) - rank(user.roles, b.id));

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={`Signed in as ${user.username} (${user.roles.map((r) => ROLE_LABELS[r]).join(', ')})`}
        >
          Overview
        </Header>
      }
    >
      <Grid gridDefinition={tiles.map(() => ({ colspan: { default: 12, xs: 6, l: 4 } }))}>
        {tiles.map((t) => (
          <div key={t.id} data-testid="overview-tile">
            {t.node}
          </div>
        ))}
      </Grid>
      {can(user.roles, BACKLOG_ROUTE) && (
        <Box padding={{ top: 'l' }}>
          <BacklogChart />
        </Box>
      )}
      <Box padding={{ top: 'l' }}>
        <Grid gridDefinition={[{ colspan: { default: 12, l: 6 } }, { colspan: { default: 12, l: 6 } }]}>
          {can(user.roles, 'GET /api/events') ? <RecentAdjustments /> : <span />}
          {can(user.roles, 'GET /api/audit') ? <RecentActivity /> : <span />}
        </Grid>
      </Box>
    </ContentLayout>
  );
}
