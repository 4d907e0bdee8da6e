import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Modal from '@cloudscape-design/components/modal';
import Pagination from '@cloudscape-design/components/pagination';
import Popover from '@cloudscape-design/components/popover';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type {
  CandidateExplanation,
  Hold,
  JournalEntry,
  OrderView,
  Reservation,
  Shipment,
} from '../../api/types.ts';
import { can } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { useCursorList, useResource } from '../../app/use-resource.ts';
import { formatDateTime, formatMoney, JsonBlock } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, EmptyState, UndeclaredNotice } from '../../components/states.tsx';
import { OrderReturns } from '../returns/order-returns.tsx';
import { OrderStatus } from './order-status.tsx';

const PLACE_HOLD = 'POST /api/orders/{id}/holds';
const RELEASE_HOLD = 'POST /api/orders/{id}/holds/{holdId}/release';
const CANCEL_ORDER = 'POST /api/orders/{id}/cancel';
const GET_RESERVATION = 'GET /api/reservations/{id}';
/** The commands of this screen: one the manifest does not declare is not offered, and the screen says so. */
const RETRY_ORDER = 'POST /api/orders/{id}/retry';
const ORDER_COMMANDS = [PLACE_HOLD, RELEASE_HOLD, CANCEL_ORDER, RETRY_ORDER];

/** A shipment and what inventory says about its reservation. */
interface ShipmentReservation {
  shipment: Shipment;
  reservation?: Reservation;
  /** Inventory has no record (yet): single-line records follow the table stream by a moment. */
  missing?: boolean;
  error?: ApiError;
}

const RESERVATION_STATUS: Record<Reservation['status'], StatusIndicatorProps.Type> = {
  open: 'success',
  consumed: 'info',
  released: 'stopped',
  expired: 'stopped',
};

/**
 * The order's reservations: one per node allocation (shipment), each under its own id
 * (`order:<orderId>:<locationId>:<round>`), read from inventory. Releasing units is the order's
 * business (Cancel order releases every reservation and tells the workflow), so this view reads.
 */
function OrderReservations({ order: o, refresh }: { order: OrderView; refresh: number }) {
  const user = useUser();
  const readable = can(user.roles, GET_RESERVATION);
  const shipments = Object.values(o.shipments ?? {}).sort(
    (a, b) => a.round - b.round || a.locationId.localeCompare(b.locationId),
  );
  const ids = shipments.map((s) => s.reservationId);
  const found = useResource<ShipmentReservation[]>(
    readable && ids.length > 0 ? `reservations:${o.orderId}:${ids.join(',')}:${refresh}` : null,
    (signal) =>
      Promise.all(
        shipments.map((shipment) =>
          endpoints.getReservation(shipment.reservationId, signal).then(
            (reservation): ShipmentReservation => ({ shipment, reservation }),
            (e: unknown): ShipmentReservation => {
              if ((e as Error)?.name === 'AbortError') throw e;
              const error = e instanceof ApiError ? e : undefined;
              if (error?.status === 404 && !error.notAvailable) return { shipment, missing: true };
              if (error) return { shipment, error };
              throw e;
            },
          ),
        ),
      ),
  );
  const rows: ShipmentReservation[] = found.data ?? shipments.map((shipment) => ({ shipment }));
  // A just-made reservation's record follows the table stream by a moment: look again, a few times.
  const [retries, setRetries] = useState(0);
  const waiting = rows.some((r) => r.missing && r.shipment.status !== 'cancelled');
  const { reload } = found;
  useEffect(() => {
    if (!waiting || retries >= 5) return;
    const timer = setTimeout(() => {
      setRetries((n) => n + 1);
      reload();
    }, 1500);
    return () => clearTimeout(timer);
  }, [waiting, retries, reload]);
  return (
    <Table<ShipmentReservation>
      variant="container"
      data-testid="order-reservations"
      header={
        <Header
          counter={`(${shipments.length})`}
          description="Units held for this order, one reservation per location it was allocated to"
        >
          Reservations
        </Header>
      }
      loading={found.loading && !found.data}
      loadingText="Loading the reservations"
      items={rows}
      trackBy={(r) => r.shipment.reservationId}
      filter={
        found.error ? (
          <ApiErrorAlert error={found.error} onRetry={found.reload} what="load the reservations" />
        ) : !readable && shipments.length > 0 ? (
          <Box color="text-body-secondary">
            Your role cannot read reservations; the allocations are shown.
          </Box>
        ) : undefined
      }
      empty={
        <EmptyState
          title="No reservations"
          subtitle={
            o.status === 'backordered'
              ? 'Nothing is reserved: the order waits for stock.'
              : 'The order has not been allocated to a location (yet).'
          }
        />
      }
      columnDefinitions={[
        {
          id: 'id',
          header: 'Reservation',
          cell: (r) => (
            <Box variant="code" fontSize="body-s">
              {r.shipment.reservationId}
            </Box>
          ),
          isRowHeader: true,
        },
        {
          id: 'location',
          header: 'Location',
          cell: (r) => `${r.shipment.locationId} (${r.shipment.nodeType})`,
        },
        { id: 'shipment', header: 'Allocation', cell: (r) => r.shipment.status },
        {
          id: 'status',
          header: 'Reservation status',
          cell: (r) =>
            r.reservation ? (
              <StatusIndicator type={RESERVATION_STATUS[r.reservation.status]}>
                {r.reservation.status}
              </StatusIndicator>
            ) : r.missing ? (
              <StatusIndicator type="pending">Not recorded yet</StatusIndicator>
            ) : r.error ? (
              <Popover content={r.error.message} triggerType="text">
                <StatusIndicator type="error">Could not load</StatusIndicator>
              </Popover>
            ) : (
              '—'
            ),
        },
        {
          id: 'lines',
          header: 'Lines',
          cell: (r) =>
            (r.reservation?.lines ?? r.shipment.lines).map((l) => `${l.sku} × ${l.quantity}`).join(', '),
        },
        {
          id: 'held',
          header: 'Held at',
          cell: (r) =>
            r.reservation?.allocations.length
              ? r.reservation.allocations
                  .map(
                    (a) =>
                      `${a.kitSku ? `${a.kitSku} › ` : ''}${a.sku} × ${a.quantity} @ ${a.locationId}${a.shard ? ` #${a.shard}` : ''}`,
                  )
                  .join(', ')
              : '—',
        },
        {
          id: 'when',
          header: 'Created',
          cell: (r) => (r.reservation ? formatDateTime(r.reservation.createdAt) : '—'),
        },
        {
          id: 'closed',
          header: 'Closed',
          cell: (r) =>
            r.reservation?.closedAt
              ? `${formatDateTime(r.reservation.closedAt)}${r.reservation.closedBy ? ` by ${r.reservation.closedBy}` : ''}`
              : r.reservation?.expiresAt
                ? `Expires ${formatDateTime(r.reservation.expiresAt)}`
                : '—',
        },
      ]}
    />
  );
}

/** Every event about the order, newest first, from the event journal. */
function Timeline({ orderId }: { orderId: string }) {
  const events = useCursorList<JournalEntry>(`timeline:${orderId}`, (cursor, signal) =>
    endpoints.events({ subject: `orderId:${orderId}`, limit: 50, ...(cursor ? { cursor } : {}) }, signal),
  );
  return (
    <Table<JournalEntry>
      data-testid="order-timeline"
      variant="container"
      loading={events.loading}
      loadingText="Loading the timeline"
      items={events.items}
      trackBy="eventId"
      header={<Header description="Every event about this order, newest first">Timeline</Header>}
      pagination={<Pagination {...events.pagination} />}
      empty={
        events.error ? (
          <ApiErrorAlert error={events.error} onRetry={events.reload} what="load the timeline" />
        ) : (
          <EmptyState title="No events yet" />
        )
      }
      columnDefinitions={[
        { id: 'at', header: 'When', cell: (e) => formatDateTime(e.occurredAt), isRowHeader: true },
        { id: 'type', header: 'Event', cell: (e) => e.detailType },
        { id: 'source', header: 'Source', cell: (e) => e.source },
        {
          id: 'data',
          header: 'Details',
          cell: (e) => (
            <Popover
              size="large"
              header={e.detailType}
              content={<JsonBlock value={e.data} />}
              triggerType="text"
            >
              View data
            </Popover>
          ),
        },
        {
          id: 'correlation',
          header: 'Correlation id',
          cell: (e) => (
            <Box variant="code" fontSize="body-s">
              {e.correlationId}
            </Box>
          ),
        },
      ]}
    />
  );
}

/** Statuses after which a manual hold is refused (the order is already allocated or closed). */
const NOT_HOLDABLE = new Set([
  'released',
  'picking',
  'packed',
  'partially_shipped',
  'shipped',
  'cancelled',
  'failed',
]);
/** Statuses an ops cancellation no longer applies to. */
const NOT_CANCELLABLE = new Set(['shipped', 'cancelled']);

/** Asks for one line of text (a reason), then runs the command; errors stay in the modal. */
function ReasonModal(props: {
  visible: boolean;
  header: string;
  description: string;
  label: string;
  confirm: string;
  required: boolean;
  testId: string;
  onDismiss(): void;
  onConfirm(reason: string): Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const close = () => {
    setReason('');
    setError(null);
    props.onDismiss();
  };
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm(reason.trim());
      setReason('');
      props.onDismiss();
    } catch (e) {
      setError(e as ApiError);
    }
    setBusy(false);
  };
  const invalid = props.required && !reason.trim();
  return (
    <Modal
      visible={props.visible}
      onDismiss={close}
      header={props.header}
      data-testid={props.testId}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={close}>
              Back
            </Button>
            <Button variant="primary" loading={busy} disabled={invalid} onClick={() => void submit()}>
              {props.confirm}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="s">
        <Box>{props.description}</Box>
        <FormField
          label={props.label}
          constraintText={
            props.required ? 'Required, up to 500 characters' : 'Optional, up to 500 characters'
          }
        >
          <Input value={reason} onChange={({ detail }) => setReason(detail.value.slice(0, 500))} />
        </FormField>
        {error && <ApiErrorAlert error={error} what={props.header.toLowerCase()} />}
      </SpaceBetween>
    </Modal>
  );
}

/** Holds on the order: automatic (payment, fraud, address) and manual; each open one can be released. */
function Holds(props: { order: OrderView; onChanged(label: string): void; onError(e: ApiError): void }) {
  const { order: o } = props;
  const user = useUser();
  const [placing, setPlacing] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const holds: Hold[] = Object.values(o.holds ?? {}).sort((a, b) => a.placedAt.localeCompare(b.placedAt));
  const open = holds.filter((h) => h.status === 'open');
  const canPlace = can(user.roles, PLACE_HOLD);
  const canRelease = can(user.roles, RELEASE_HOLD);
  const release = async (h: Hold) => {
    setBusy(h.holdId);
    try {
      await endpoints.releaseHold(o.orderId, h.holdId);
      props.onChanged(`Hold ${h.type} released`);
    } catch (e) {
      props.onError(e as ApiError);
    }
    setBusy(null);
  };
  return (
    <>
      <Table<Hold>
        variant="container"
        data-testid="order-holds"
        header={
          <Header
            counter={`(${open.length} open)`}
            description="An order with an open hold is not allocated; releasing the last hold resumes it."
            actions={
              canPlace && (
                <Button
                  data-testid="place-hold"
                  disabled={NOT_HOLDABLE.has(o.status)}
                  disabledReason="The order is already allocated or closed"
                  onClick={() => setPlacing(true)}
                >
                  Place hold
                </Button>
              )
            }
          >
            Holds
          </Header>
        }
        items={holds}
        trackBy="holdId"
        empty={<EmptyState title="No holds" />}
        columnDefinitions={[
          { id: 'type', header: 'Hold', cell: (h) => h.type, isRowHeader: true },
          { id: 'reason', header: 'Reason', cell: (h) => h.reason },
          {
            id: 'status',
            header: 'Status',
            cell: (h) =>
              h.status === 'open' ? (
                <StatusIndicator type="warning">Open</StatusIndicator>
              ) : (
                <StatusIndicator type="success">Released</StatusIndicator>
              ),
          },
          { id: 'placed', header: 'Placed', cell: (h) => `${formatDateTime(h.placedAt)} by ${h.placedBy}` },
          {
            id: 'released',
            header: 'Released',
            cell: (h) =>
              h.releasedAt
                ? `${formatDateTime(h.releasedAt)} by ${h.releasedBy ?? '—'}${h.note ? ` (${h.note})` : ''}`
                : '—',
          },
          {
            id: 'actions',
            header: 'Actions',
            cell: (h) =>
              canRelease && h.status === 'open' ? (
                <Button
                  variant="inline-link"
                  ariaLabel={`Release hold ${h.type}`}
                  loading={busy === h.holdId}
                  onClick={() => void release(h)}
                >
                  Release
                </Button>
              ) : null,
          },
        ]}
      />
      <ReasonModal
        visible={placing}
        header="Place hold"
        description="The order will not be allocated until the hold is released."
        label="Reason"
        confirm="Place hold"
        required
        testId="place-hold-modal"
        onDismiss={() => setPlacing(false)}
        onConfirm={async (reason) => {
          await endpoints.placeHold(o.orderId, reason);
          props.onChanged('Hold placed');
        }}
      />
    </>
  );
}

/** Where the order was routed (one shipment per node) and why every other node lost. */
function Allocation({ order: o }: { order: OrderView }) {
  const r = o.routing;
  const shipments = Object.values(o.shipments ?? {});
  const linesOf = (ids: string[]) =>
    ids.map((id) => o.lines.find((l) => l.lineId === id)?.sku ?? id).join(', ');
  return (
    <Container
      data-testid="order-allocation"
      header={
        <Header
          variant="h2"
          description={
            r
              ? `Rules version ${r.ruleVersion} · decided ${formatDateTime(r.decidedAt)}`
              : 'Why the order was routed where it was'
          }
        >
          Allocation
        </Header>
      }
    >
      {r ? (
        <SpaceBetween size="m">
          <Box data-testid="routing-summary">{r.summary}</Box>
          <KeyValuePairs
            columns={4}
            items={[
              {
                label: 'Chosen',
                value: r.chosen.length
                  ? r.chosen.map((c) => `${c.locationId} (${linesOf(c.lineIds)})`).join('; ')
                  : 'None',
              },
              { label: 'Destination', value: r.destination ?? 'No address' },
              { label: 'Split', value: r.split ? 'Yes' : 'No' },
              {
                label: 'Promise',
                value: r.slaMiss ? (
                  <StatusIndicator type="warning">Misses {r.serviceLevel}</StatusIndicator>
                ) : (
                  <StatusIndicator type="success">Keeps {r.serviceLevel}</StatusIndicator>
                ),
              },
              ...(r.shortLineIds.length
                ? [{ label: 'Short (backordered)', value: linesOf(r.shortLineIds) }]
                : []),
            ]}
          />
          <Table<CandidateExplanation>
            variant="embedded"
            header={<Header variant="h3">Nodes considered</Header>}
            items={r.candidates}
            trackBy="locationId"
            columnDefinitions={[
              {
                id: 'node',
                header: 'Node',
                cell: (c) => `${c.locationId}${c.type ? ` (${c.type})` : ''}`,
                isRowHeader: true,
              },
              {
                id: 'outcome',
                header: 'Outcome',
                cell: (c) =>
                  r.chosen.some((x) => x.locationId === c.locationId) ? (
                    <StatusIndicator type="success">Chosen</StatusIndicator>
                  ) : c.eligible ? (
                    <StatusIndicator type="stopped">Lost</StatusIndicator>
                  ) : (
                    <StatusIndicator type="stopped">Not eligible</StatusIndicator>
                  ),
              },
              {
                id: 'score',
                header: 'Score',
                cell: (c) => (c.score === undefined ? '—' : c.score.toFixed(2)),
              },
              { id: 'zone', header: 'Zone', cell: (c) => c.zone ?? '—' },
              {
                id: 'cost',
                header: 'Shipping cost',
                cell: (c) => (c.shippingCost === undefined ? '—' : formatMoney(c.shippingCost, o.currency)),
              },
              {
                id: 'by',
                header: 'Delivers by',
                cell: (c) => (c.deliversBy ? formatDateTime(c.deliversBy) : '—'),
              },
              { id: 'why', header: 'Why', cell: (c) => (c.reasons.length ? c.reasons.join('; ') : '—') },
            ]}
          />
          {shipments.length > 0 && (
            <Table
              variant="embedded"
              header={<Header variant="h3">Node allocations</Header>}
              items={shipments}
              trackBy="reservationId"
              columnDefinitions={[
                {
                  id: 'node',
                  header: 'Node',
                  cell: (s) => `${s.locationId} (${s.nodeType})`,
                  isRowHeader: true,
                },
                { id: 'round', header: 'Round', cell: (s) => s.round },
                {
                  id: 'lines',
                  header: 'Lines',
                  cell: (s) => s.lines.map((l) => `${l.sku} × ${l.quantity}`).join(', '),
                },
                { id: 'status', header: 'Status', cell: (s) => s.status },
                { id: 'fulfillment', header: 'Fulfillment', cell: (s) => <PartProgress part={s} /> },
                { id: 'res', header: 'Reservation', cell: (s) => s.reservationId },
              ]}
            />
          )}
        </SpaceBetween>
      ) : (
        <EmptyState
          title="Not allocated yet"
          subtitle={
            Object.values(o.holds ?? {}).some((h) => h.status === 'open')
              ? 'The order is on hold.'
              : 'The release workflow has not routed this order.'
          }
        />
      )}
    </Container>
  );
}

/** How far a node's part got in the warehouse; once shipped, its carrier and tracking. */
function PartProgress({ part }: { part: Shipment }) {
  const f = part.fulfillment;
  if (!f) return '—';
  if (f.status !== 'shipped') return f.status;
  const tracking = f.trackingUrl ? (
    <RouterLink href={f.trackingUrl} external>
      {f.trackingNumber}
    </RouterLink>
  ) : (
    f.trackingNumber
  );
  return (
    <span data-testid="part-shipment">
      Shipped {f.shippedAt ? formatDateTime(f.shippedAt) : ''} · {f.carrier} {f.service} · {tracking}
    </span>
  );
}

/** The order's status changes, newest first. */
function StatusHistory({ order: o }: { order: OrderView }) {
  const history = [...(o.statusHistory ?? [])].reverse();
  return (
    <Table
      variant="container"
      data-testid="order-status-history"
      header={<Header counter={`(${history.length})`}>Status history</Header>}
      items={history}
      trackBy={(h) => `${h.at}:${h.status}`}
      empty={<EmptyState title="No status changes yet" />}
      columnDefinitions={[
        { id: 'at', header: 'When', cell: (h) => formatDateTime(h.at), isRowHeader: true },
        { id: 'status', header: 'Status', cell: (h) => <OrderStatus status={h.status} /> },
        { id: 'by', header: 'By', cell: (h) => h.by },
        { id: 'event', header: 'Event', cell: (h) => h.event ?? '—' },
      ]}
    />
  );
}

export default function OrderDetail() {
  const { orderId = '' } = useParams();
  const user = useUser();
  const { notify } = useNotifications();
  const [refresh, setRefresh] = useState(0);
  const [cancelling, setCancelling] = useState(false);
  const [commandError, setCommandError] = useState<ApiError | null>(null);
  usePage(`Order ${orderId}`, [
    { text: 'Orders', href: '/orders' },
    { text: orderId, href: `/orders/${encodeURIComponent(orderId)}` },
  ]);
  const order = useResource<OrderView>(`order:${orderId}:${refresh}`, (signal) =>
    endpoints.getOrder(orderId, signal),
  );
  const o = order.data;
  const changed = (label: string) => {
    setCommandError(null);
    notify({ type: 'success', header: label });
    setRefresh((r) => r + 1);
  };

  if (order.error && !o) {
    return (
      <ContentLayout header={<Header variant="h1">Order {orderId}</Header>}>
        {order.error.status === 404 && !order.error.notAvailable ? (
          <Container>
            <EmptyState
              title="Order not found"
              subtitle={`There is no order ${orderId}.`}
              action={<RouterLink href="/orders">Find an order</RouterLink>}
            />
          </Container>
        ) : (
          <ApiErrorAlert error={order.error} onRetry={order.reload} what="load the order" />
        )}
      </ContentLayout>
    );
  }
  if (!o) return <Spinner size="large" />;

  const canCancel = can(user.roles, CANCEL_ORDER);
  const canRetry = can(user.roles, RETRY_ORDER) && o.status === 'failed';
  const openExceptions = Object.values(o.exceptions ?? {}).filter((e) => e.status === 'open');
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={`${o.channelId} · ${o.orderId}`}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button
                iconName="refresh"
                ariaLabel="Refresh"
                loading={order.loading}
                onClick={() => setRefresh((r) => r + 1)}
              />
              {canRetry && (
                <Button
                  data-testid="retry-order"
                  onClick={async () => {
                    try {
                      await endpoints.retryOrder(o.orderId);
                      changed('Release retried');
                    } catch (e) {
                      setCommandError(e as ApiError);
                    }
                  }}
                >
                  Retry release
                </Button>
              )}
              {canCancel && (
                <Button
                  data-testid="cancel-order"
                  disabled={NOT_CANCELLABLE.has(o.status)}
                  disabledReason={o.status === 'cancelled' ? 'Already cancelled' : 'Already shipped'}
                  onClick={() => setCancelling(true)}
                >
                  Cancel order
                </Button>
              )}
            </SpaceBetween>
          }
        >
          Order {o.externalNumber ?? o.externalId}
        </Header>
      }
    >
      <SpaceBetween size="l">
        <UndeclaredNotice routes={ORDER_COMMANDS} />
        {commandError && <ApiErrorAlert error={commandError} />}
        {o.status === 'failed' && o.releaseFailure && (
          <Alert type="error" header="Release failed" data-testid="release-failure">
            {`${formatDateTime(o.releaseFailure.at)}: ${o.releaseFailure.error}. Its reservations were released and it is held for review; retry once the cause is fixed.`}
          </Alert>
        )}
        {openExceptions.map((e) => (
          <Alert
            key={e.exceptionId}
            type="warning"
            header="Changed by the channel after allocation"
            data-testid="order-exception"
          >
            {`${formatDateTime(e.at)}: the channel changed ${e.changed.join(', ')} while the order was ${e.orderStatus}. The warehouse works from the allocation as it was; contact the customer, or cancel and re-create the order.`}
          </Alert>
        ))}
        <Container header={<Header variant="h2">Summary</Header>}>
          <KeyValuePairs
            columns={4}
            items={[
              {
                label: 'Status',
                value: (
                  <span data-testid="order-status">
                    <OrderStatus status={o.status} />
                  </span>
                ),
              },
              { label: 'Channel', value: `${o.channelId} (${o.channelType})` },
              { label: 'Channel order id', value: o.externalId },
              { label: 'Placed', value: formatDateTime(o.placedAt) },
              { label: 'Received', value: formatDateTime(o.receivedAt) },
              { label: 'Payment', value: o.paymentStatus },
              {
                label: 'Service level',
                value: `${o.serviceLevel}${o.shippingMethod ? ` (${o.shippingMethod})` : ''}`,
              },
              { label: 'Total', value: formatMoney(o.total, o.currency) },
              {
                label: 'Ship to',
                value: o.shipTo
                  ? `${o.shipTo.name}, ${o.shipTo.line1}, ${o.shipTo.postalCode} ${o.shipTo.city}, ${o.shipTo.country}`
                  : 'No address (pickup or digital)',
              },
              ...(o.cancelled || o.cancellation
                ? [
                    {
                      label: 'Cancelled',
                      value: o.cancellation
                        ? `${formatDateTime(o.cancellation.at)} by ${o.cancellation.by} (${o.cancellation.source})${o.cancellation.reason ? `: ${o.cancellation.reason}` : ''}`
                        : `${formatDateTime(o.cancelledAt ?? undefined)} ${o.cancelReason ?? ''}`,
                    },
                  ]
                : []),
            ]}
          />
        </Container>

        <Table
          variant="container"
          header={<Header counter={`(${o.lines.length})`}>Lines</Header>}
          items={o.lines}
          trackBy="lineId"
          columnDefinitions={[
            {
              id: 'sku',
              header: 'SKU',
              cell: (l) => <RouterLink href={`/inventory/${encodeURIComponent(l.sku)}`}>{l.sku}</RouterLink>,
              isRowHeader: true,
            },
            { id: 'title', header: 'Title', cell: (l) => l.title ?? '—' },
            { id: 'qty', header: 'Quantity', cell: (l) => l.quantity },
            { id: 'price', header: 'Unit price', cell: (l) => formatMoney(l.unitPrice, o.currency) },
            { id: 'discount', header: 'Discount', cell: (l) => formatMoney(l.discount, o.currency) },
            { id: 'kit', header: 'Kit', cell: (l) => (l.isKit ? 'Yes' : 'No') },
            { id: 'state', header: 'Release', cell: (l) => o.lineStates?.[l.lineId]?.status ?? '—' },
          ]}
        />

        <Holds order={o} onChanged={changed} onError={setCommandError} />

        <Allocation order={o} />

        <OrderReservations order={o} refresh={refresh} />

        <StatusHistory order={o} />

        {can(user.roles, 'GET /api/returns') && <OrderReturns orderId={o.orderId} />}

        {can(user.roles, 'GET /api/events') && <Timeline orderId={o.orderId} />}
      </SpaceBetween>
      <ReasonModal
        visible={cancelling}
        header="Cancel order"
        description={`Cancel order ${o.externalNumber ?? o.externalId}? Its reservations are released and the channel is told. This cannot be undone.`}
        label="Reason"
        confirm="Cancel order"
        required={false}
        testId="cancel-order-modal"
        onDismiss={() => setCancelling(false)}
        onConfirm={async (reason) => {
          await endpoints.cancelOrder(o.orderId, reason || undefined);
          changed('Order cancelled');
        }}
      />
    </ContentLayout>
  );
}
