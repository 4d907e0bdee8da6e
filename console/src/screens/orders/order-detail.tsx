import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Pagination from '@cloudscape-design/components/pagination';
import Popover from '@cloudscape-design/components/popover';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ApiError, api, apiPath } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { JournalEntry, OrderView } from '../../api/types.ts';
import { can, isDeclared } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { useCursorList, useResource } from '../../app/use-resource.ts';
import { formatDateTime, formatMoney, JsonBlock } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, ComingWith, EmptyState } from '../../components/states.tsx';
import { OrderStatus } from './order-status.tsx';

const RELEASE_HOLD = 'POST /api/orders/{id}/holds/{holdId}/release';
const CANCEL_ORDER = 'POST /api/orders/{id}/cancel';
const RELEASE_RESERVATION = 'DELETE /api/reservations/{id}';

/**
 * The order's reservation: the release workflow reserves under the order id, so it is one read
 * (`GET /api/reservations/{orderId}`); releasing it returns the units to available.
 */
function OrderReservation({ orderId }: { orderId: string }) {
  const user = useUser();
  const { notify } = useNotifications();
  const [refresh, setRefresh] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const found = useResource(`reservation:${orderId}:${refresh}`, (signal) =>
    endpoints.getReservation(orderId, signal).catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404 && !e.notAvailable) return null;
      throw e;
    }),
  );
  const r = found.data;
  const release = async () => {
    setBusy(true);
    setError(null);
    try {
      await endpoints.releaseReservation(orderId);
      notify({ type: 'success', header: `Reservation ${orderId} released` });
      setRefresh((n) => n + 1);
    } catch (e) {
      setError(e as ApiError);
    }
    setBusy(false);
  };
  const header = (
    <Header
      description="Units held for this order at specific locations"
      actions={
        r &&
        r.status === 'open' &&
        can(user.roles, RELEASE_RESERVATION) && (
          <Button
            onClick={() => void release()}
            loading={busy}
            disabled={!isDeclared(RELEASE_RESERVATION)}
            disabledReason="Not served by the API yet"
          >
            Release reservation
          </Button>
        )
      }
    >
      Reservation
    </Header>
  );
  if (found.error?.notAvailable) {
    return (
      <Container header={header}>
        <ComingWith workflow="the order release workflow (reservations per order)" />
      </Container>
    );
  }
  return (
    <Table
      variant="container"
      data-testid="order-reservation"
      header={header}
      loading={found.loading}
      loadingText="Loading the reservation"
      items={r?.allocations ?? []}
      trackBy={(a) => `${a.lineIndex}:${a.sku}:${a.locationId}:${a.shard}`}
      filter={
        r ? (
          <SpaceBetween size="xs">
            {error && <ApiErrorAlert error={error} what="release the reservation" />}
            <KeyValuePairs
              columns={4}
              items={[
                { label: 'Status', value: r.status },
                { label: 'Created', value: formatDateTime(r.createdAt) },
                { label: 'Expires', value: r.expiresAt ? formatDateTime(r.expiresAt) : 'Never' },
                {
                  label: 'Closed',
                  value: r.closedAt ? `${formatDateTime(r.closedAt)} by ${r.closedBy ?? '—'}` : '—',
                },
              ]}
            />
          </SpaceBetween>
        ) : undefined
      }
      empty={
        found.error ? (
          <ApiErrorAlert error={found.error} onRetry={found.reload} what="load the reservation" />
        ) : (
          <EmptyState title="No reservation" subtitle="Nothing is reserved for this order (yet)." />
        )
      }
      columnDefinitions={[
        {
          id: 'sku',
          header: 'SKU',
          cell: (a) => <RouterLink href={`/inventory/${encodeURIComponent(a.sku)}`}>{a.sku}</RouterLink>,
          isRowHeader: true,
        },
        { id: 'location', header: 'Location', cell: (a) => a.locationId },
        { id: 'qty', header: 'Quantity', cell: (a) => a.quantity },
        {
          id: 'why',
          header: 'For',
          cell: (a) =>
            a.kitSku
              ? `Component of ${a.kitSku}`
              : a.substituteFor
                ? `Substitute for ${a.substituteFor}`
                : 'The line itself',
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

export default function OrderDetail() {
  const { orderId = '' } = useParams();
  const user = useUser();
  const { notify } = useNotifications();
  const [refresh, setRefresh] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [commandError, setCommandError] = useState<ApiError | null>(null);
  usePage(`Order ${orderId}`, [
    { text: 'Orders', href: '/orders' },
    { text: orderId, href: `/orders/${encodeURIComponent(orderId)}` },
  ]);
  const order = useResource<OrderView>(`order:${orderId}:${refresh}`, (signal) =>
    endpoints.getOrder(orderId, signal),
  );
  const o = order.data;

  const run = async (label: string, action: () => Promise<unknown>) => {
    setBusy(label);
    setCommandError(null);
    try {
      await action();
      notify({ type: 'success', header: label });
      setRefresh((r) => r + 1);
    } catch (error) {
      setCommandError(error as ApiError);
    }
    setBusy(null);
  };
  const commandAvailable = (route: string) => isDeclared(route) && can(user.roles, route);

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

  const openHolds = (o.holds ?? []).filter((h) => h.status !== 'released');
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={`${o.channelId} · ${o.orderId}`}
          actions={
            can(user.roles, CANCEL_ORDER) && (
              <Button
                disabled={!isDeclared(CANCEL_ORDER) || o.status === 'cancelled'}
                disabledReason={
                  !isDeclared(CANCEL_ORDER) ? 'Coming with the order release workflow' : 'Already cancelled'
                }
                loading={busy === 'Order cancelled'}
                onClick={() =>
                  run('Order cancelled', () => api.post(apiPath`/api/orders/${o.orderId}/cancel`))
                }
              >
                Cancel order
              </Button>
            )
          }
        >
          Order {o.externalNumber ?? o.externalId}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {commandError && <ApiErrorAlert error={commandError} />}
        <Container header={<Header variant="h2">Summary</Header>}>
          <KeyValuePairs
            columns={4}
            items={[
              { label: 'Status', value: <OrderStatus status={o.status} /> },
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
              ...(o.cancelled
                ? [
                    {
                      label: 'Cancelled',
                      value: `${formatDateTime(o.cancelledAt ?? undefined)} ${o.cancelReason ?? ''}`,
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
          ]}
        />

        <Table
          variant="container"
          data-testid="order-holds"
          header={<Header counter={o.holds ? `(${openHolds.length})` : undefined}>Holds</Header>}
          items={o.holds ?? []}
          trackBy="holdId"
          empty={
            o.holds ? (
              <EmptyState title="No holds" />
            ) : (
              <ComingWith workflow="the order release workflow (payment, fraud and address holds)" />
            )
          }
          columnDefinitions={[
            { id: 'type', header: 'Hold', cell: (h) => h.type, isRowHeader: true },
            { id: 'reason', header: 'Reason', cell: (h) => h.reason ?? '—' },
            { id: 'status', header: 'Status', cell: (h) => h.status },
            { id: 'placed', header: 'Placed', cell: (h) => formatDateTime(h.placedAt) },
            {
              id: 'actions',
              header: 'Actions',
              cell: (h) =>
                can(user.roles, RELEASE_HOLD) && h.status !== 'released' ? (
                  <Button
                    variant="inline-link"
                    disabled={!commandAvailable(RELEASE_HOLD)}
                    disabledReason="Coming with the order release workflow"
                    onClick={() =>
                      run(`Hold ${h.type} released`, () =>
                        api.post(apiPath`/api/orders/${o.orderId}/holds/${h.holdId}/release`),
                      )
                    }
                  >
                    Release
                  </Button>
                ) : null,
            },
          ]}
        />

        <Container
          header={
            <Header variant="h2" description="Why the order was routed where it was">
              Allocation
            </Header>
          }
        >
          {o.allocation ? (
            <SpaceBetween size="s">
              {(o.allocation.explanation ?? []).map((line) => (
                <Box key={line}>{line}</Box>
              ))}
              {o.allocation.lines && (
                <Table
                  variant="embedded"
                  items={o.allocation.lines}
                  columnDefinitions={[
                    { id: 'line', header: 'Line', cell: (l) => l.lineId },
                    { id: 'sku', header: 'SKU', cell: (l) => l.sku },
                    { id: 'loc', header: 'Location', cell: (l) => l.locationId ?? 'Backordered' },
                    { id: 'qty', header: 'Quantity', cell: (l) => l.quantity },
                    { id: 'why', header: 'Reason', cell: (l) => l.reason ?? '—' },
                  ]}
                />
              )}
            </SpaceBetween>
          ) : (
            <ComingWith workflow="the order release workflow (allocation and routing rules)" />
          )}
        </Container>

        <OrderReservation orderId={o.orderId} />

        {can(user.roles, 'GET /api/events') && <Timeline orderId={o.orderId} />}
      </SpaceBetween>
    </ContentLayout>
  );
}
