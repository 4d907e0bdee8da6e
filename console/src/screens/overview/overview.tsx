import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Grid from '@cloudscape-design/components/grid';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { ReactNode } from 'react';
import { endpoints } from '../../api/endpoints.ts';
import type {
  AuditEntry,
  IntakeExceptionSummary,
  JournalEntry,
  OrderStatusName,
  Page,
} from '../../api/types.ts';
import { type Area, can, canSee } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { ROLE_LABELS } from '../../app/identity.ts';
import { describeReason } from '../../app/reasons.ts';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { Delta, formatDateTime } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, AuditOutcome, EmptyState } from '../../components/states.tsx';
import { STATUS_LABELS, type StatusCounts, useStatusCounts } from '../orders/order-queues.ts';

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

const LIST_ORDERS = 'GET /api/orders';
/** The queues the Overview counts (one bounded page each: "100+" beyond a hundred). */
const OVERVIEW_STATUSES: readonly OrderStatusName[] = [
  'received',
  'on_hold',
  'backordered',
  'released',
  'failed',
];
const queueHref = (status: OrderStatusName) => `/orders?status=${status}`;

interface Counts {
  data: StatusCounts | undefined;
  failed: boolean;
}

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
                {counts.data?.[s] ?? '…'}
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
  status: OrderStatusName;
  testId: string;
  title: string;
  description: string;
  linkText: string;
}) {
  return (
    <Tile
      testId={props.testId}
      title={props.title}
      description={props.description}
      href={queueHref(props.status)}
      linkText={props.linkText}
      value={props.counts.failed ? undefined : (props.counts.data?.[props.status] ?? '…')}
      pending="Could not load"
    />
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
          cell: (e) => <RouterLink href={`/audit?entry=${e.auditId}`}>{e.action}</RouterLink>,
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

interface TileSpec {
  area: Area;
  node: ReactNode;
}

export default function Overview() {
  usePage('Overview');
  const user = useUser();
  const listsOrders = can(user.roles, LIST_ORDERS);
  const orderCounts = useStatusCounts(listsOrders ? 'overview' : null, OVERVIEW_STATUSES);
  const counts: Counts = { data: orderCounts.data, failed: Boolean(orderCounts.error) };
  const tiles: TileSpec[] = [
    ...(listsOrders
      ? [
          { area: 'orders' as Area, node: <OrdersByStatusTile counts={counts} /> },
          {
            area: 'orders' as Area,
            node: (
              <QueueTile
                counts={counts}
                status="backordered"
                testId="tile-backorders"
                title="Backorders"
                description="Orders waiting for stock"
                linkText="View backorders"
              />
            ),
          },
          {
            area: 'orders' as Area,
            node: (
              <QueueTile
                counts={counts}
                status="on_hold"
                testId="tile-holds"
                title="Holds"
                description="Orders waiting on payment, fraud, address or manual checks"
                linkText="View held orders"
              />
            ),
          },
        ]
      : []),
    {
      area: 'warehouse',
      node: (
        <Tile
          testId="tile-waves"
          title="Waves at cutoff risk"
          description="Waves that may miss their carrier cutoff"
          href="/warehouse"
          linkText="View waves"
          pending="Coming with the fulfillment workflow"
        />
      ),
    },
    { area: 'intake', node: <IntakeTile /> },
    ...(can(user.roles, 'GET /api/events') ? [{ area: 'inventory' as Area, node: <MismatchTile /> }] : []),
  ].filter((t) => canSee(user.roles, t.area as Area)) as TileSpec[];

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
        {tiles.map((t, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the tile list is static per role.
          <div key={i}>{t.node}</div>
        ))}
      </Grid>
      <Box padding={{ top: 'l' }}>
        <Grid gridDefinition={[{ colspan: { default: 12, l: 6 } }, { colspan: { default: 12, l: 6 } }]}>
          {can(user.roles, 'GET /api/events') ? <RecentAdjustments /> : <span />}
          {can(user.roles, 'GET /api/audit') ? <RecentActivity /> : <span />}
        </Grid>
      </Box>
    </ContentLayout>
  );
}
