import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { endpoints } from '../../api/endpoints.ts';
import type { OrderStatusName, OrderSummary } from '../../api/types.ts';
import { can, isDeclared } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useUser } from '../../app/session.tsx';
import { useCursorList, useResource } from '../../app/use-resource.ts';
import { DateRangeFilter, resolveRange, type TimeRange } from '../../components/date-range.tsx';
import { formatDateTime } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { useQueryParams } from '../../components/query-params.ts';
import { ApiErrorAlert, EmptyState, NotAvailable } from '../../components/states.tsx';
import { BulkReleaseModal, RELEASE_HOLD } from './bulk-release.tsx';
import {
  formatAge,
  isOrderStatus,
  ORDER_STATUSES,
  STATUS_LABELS,
  summarize,
  useStatusCounts,
} from './order-queues.ts';
import { OrderStatus } from './order-status.tsx';

/**
 * The orders work queues: every order newest first, one tab per status (with a bounded count on
 * the queues people work), filtered by channel, location and when the order was placed, paged
 * on the server. A channel and its order number find one order, and an order id opens it. Every
 * filter lives in the URL, so a queue can be shared and the Overview links straight into one.
 */
const LIST_ORDERS = 'GET /api/orders';
const PAGE_SIZE = 25;
/** The queues that get a count on their tab: the ones someone has to act on. */
const COUNTED: readonly OrderStatusName[] = ['received', 'on_hold', 'backordered', 'failed'];
/** Released, picking or packed for over a day: the orders about to go late. */
const AT_RISK = 'at_risk';

export default function Orders() {
  usePage('Orders', [{ text: 'Orders', href: '/orders' }]);
  const [params, update] = useQueryParams();
  const navigate = useNavigate();
  const statusParam = params.get('status');
  const status = isOrderStatus(statusParam) ? statusParam : undefined;
  const atRisk = !status && params.get('queue') === AT_RISK;
  const user = useUser();
  const [selected, setSelected] = useState<OrderSummary[]>([]);
  const [releasing, setReleasing] = useState(false);
  const bulkRelease = status === 'on_hold' && can(user.roles, RELEASE_HOLD);
  const channelId = params.get('channelId') ?? '';
  const locationId = params.get('locationId') ?? '';
  const externalId = params.get('externalId') ?? '';
  const time: TimeRange = {
    ...(params.get('range') ? { range: params.get('range')! } : {}),
    ...(params.get('from') ? { from: params.get('from')! } : {}),
    ...(params.get('to') ? { to: params.get('to')! } : {}),
  };
  const [draft, setDraft] = useState({ channelId, locationId, externalId });
  const [orderId, setOrderId] = useState('');
  useEffect(() => setDraft({ channelId, locationId, externalId }), [channelId, locationId, externalId]);

  const listed = isDeclared(LIST_ORDERS);
  /** A channel and its order number name one order: a point lookup, not a queue. */
  const lookup = Boolean(channelId && externalId);
  const filters = { channelId, locationId, ...resolveRange(time) };
  const filterKey = `${channelId}:${locationId}:${JSON.stringify(time)}`;

  const list = useCursorList<OrderSummary>(
    listed && !lookup ? `orders:${atRisk ? AT_RISK : (status ?? '*')}:${filterKey}` : null,
    (cursor, signal) =>
      endpoints.listOrders(
        {
          ...filters,
          ...(atRisk ? { queue: AT_RISK } : { status }),
          limit: PAGE_SIZE,
          ...(cursor ? { cursor } : {}),
        },
        signal,
      ),
  );
  const found = useResource(listed && lookup ? `order-lookup:${channelId}:${externalId}` : null, (signal) =>
    endpoints.findOrder({ channelId, externalId }, signal),
  );
  const counts = useStatusCounts(listed && !lookup ? filterKey : null, COUNTED, filters);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    update({
      channelId: draft.channelId.trim() || undefined,
      locationId: draft.locationId.trim() || undefined,
      externalId: draft.externalId.trim() || undefined,
    });
  };
  const open = (e: FormEvent) => {
    e.preventDefault();
    if (orderId.trim()) navigate(`/orders/${encodeURIComponent(orderId.trim())}`);
  };
  const filtered = Boolean(channelId || locationId || externalId || time.range || time.from || time.to);

  const items = lookup ? (found.data?.items ?? []).map((o) => summarize(o)) : list.items;
  const error = lookup ? found.error : list.error;
  const table = (
    <Table<OrderSummary>
      data-testid="orders-table"
      variant="container"
      loading={lookup ? found.loading : list.loading}
      loadingText="Loading orders"
      items={items}
      trackBy="orderId"
      {...(bulkRelease && !lookup
        ? {
            selectionType: 'multi' as const,
            selectedItems: selected,
            onSelectionChange: ({ detail }: { detail: { selectedItems: OrderSummary[] } }) =>
              setSelected(detail.selectedItems),
            ariaLabels: {
              itemSelectionLabel: (_: unknown, o: OrderSummary) =>
                `Select ${o.externalNumber ?? o.externalId}`,
              allItemsSelectionLabel: () => 'Select all orders on this page',
              selectionGroupLabel: 'Orders to release',
            },
          }
        : {})}
      header={
        <Header
          counter={
            lookup
              ? found.data && `(${items.length})`
              : list.data && `(${items.length}${list.data.nextCursor ? '+' : ''})`
          }
          description={
            lookup
              ? `Order ${externalId} of channel ${channelId}`
              : atRisk
                ? 'Released, picking or packed, and placed more than a day ago: the orders about to go late.'
                : bulkRelease
                  ? 'Newest first. Select several to release their holds with one reason.'
                  : 'Newest first. Select an order to work it.'
          }
          actions={
            bulkRelease && !lookup ? (
              <Button
                data-testid="bulk-release"
                disabled={selected.length === 0}
                onClick={() => setReleasing(true)}
              >
                Release holds{selected.length ? ` (${selected.length})` : ''}
              </Button>
            ) : undefined
          }
        >
          {lookup
            ? 'Channel order'
            : atRisk
              ? 'Orders at risk'
              : status
                ? `Orders ${STATUS_LABELS[status].toLowerCase()}`
                : 'All orders'}
        </Header>
      }
      filter={
        <SpaceBetween direction="horizontal" size="xs" alignItems="end">
          <form onSubmit={apply}>
            <SpaceBetween direction="horizontal" size="xs">
              <Input
                value={draft.channelId}
                onChange={({ detail }) => setDraft((d) => ({ ...d, channelId: detail.value }))}
                placeholder="Channel id"
                ariaLabel="Channel id"
              />
              <Input
                value={draft.locationId}
                onChange={({ detail }) => setDraft((d) => ({ ...d, locationId: detail.value }))}
                placeholder="Location id"
                ariaLabel="Location id"
              />
              <Input
                value={draft.externalId}
                onChange={({ detail }) => setDraft((d) => ({ ...d, externalId: detail.value }))}
                placeholder="Channel order id"
                ariaLabel="Channel order id"
              />
              <Button formAction="submit" iconName="search">
                Find
              </Button>
            </SpaceBetween>
          </form>
          {!lookup && (
            <DateRangeFilter
              value={time}
              placeholder="Placed any time"
              onChange={(r) => update({ range: r.range, from: r.from, to: r.to })}
            />
          )}
          {filtered && (
            <Button
              variant="link"
              onClick={() =>
                update({
                  channelId: undefined,
                  locationId: undefined,
                  externalId: undefined,
                  range: undefined,
                  from: undefined,
                  to: undefined,
                })
              }
            >
              Clear filters
            </Button>
          )}
        </SpaceBetween>
      }
      pagination={lookup ? undefined : <Pagination {...list.pagination} />}
      empty={
        error ? (
          <ApiErrorAlert error={error} onRetry={lookup ? found.reload : list.reload} what="load orders" />
        ) : (
          <EmptyState
            title={lookup ? 'No such order' : 'No orders'}
            subtitle={
              lookup
                ? `Channel ${channelId} has no order ${externalId}.`
                : filtered || status
                  ? 'No order matches these filters.'
                  : 'No order has been received yet.'
            }
          />
        )
      }
      columnDefinitions={[
        {
          id: 'id',
          header: 'Order',
          cell: (o) => <RouterLink href={`/orders/${encodeURIComponent(o.orderId)}`}>{o.orderId}</RouterLink>,
          isRowHeader: true,
        },
        { id: 'external', header: 'Channel order', cell: (o) => o.externalNumber ?? o.externalId },
        { id: 'channel', header: 'Channel', cell: (o) => o.channelId },
        { id: 'status', header: 'Status', cell: (o) => <OrderStatus status={o.status} /> },
        { id: 'placed', header: 'Placed', cell: (o) => formatDateTime(o.placedAt) },
        { id: 'age', header: 'Age', cell: (o) => formatAge(o.ageSeconds) },
        { id: 'lines', header: 'Lines', cell: (o) => o.lineCount },
        { id: 'units', header: 'Units', cell: (o) => o.units },
        { id: 'holds', header: 'Open holds', cell: (o) => o.openHolds || '—' },
        { id: 'locations', header: 'Locations', cell: (o) => o.locationIds.join(', ') || '—' },
      ]}
    />
  );

  const active = status ?? (atRisk ? AT_RISK : 'all');
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Work queues by status, newest first. Find an order by its channel order id, or open it by id."
        >
          Orders
        </Header>
      }
    >
      <SpaceBetween size="l">
        <Container>
          <form onSubmit={open}>
            <SpaceBetween direction="horizontal" size="xs" alignItems="end">
              <FormField label="Order id">
                <Input
                  value={orderId}
                  onChange={({ detail }) => setOrderId(detail.value)}
                  placeholder="Quartermaster order id"
                />
              </FormField>
              <Button formAction="submit">Open</Button>
            </SpaceBetween>
          </form>
        </Container>
        {!listed || error?.notAvailable ? (
          <NotAvailable route={LIST_ORDERS}>
            <span>Orders can still be opened by id.</span>
          </NotAvailable>
        ) : lookup ? (
          table
        ) : (
          <Tabs
            data-testid="order-status-tabs"
            activeTabId={active}
            onChange={({ detail }) => {
              const id = detail.activeTabId;
              setSelected([]);
              update({
                status: id === 'all' || id === AT_RISK ? undefined : id,
                queue: id === AT_RISK ? AT_RISK : undefined,
              });
            }}
            ariaLabel="Order status"
            tabs={[
              { id: 'all', label: 'All' },
              ...ORDER_STATUSES.map((s) => {
                const count = counts.data?.[s];
                return {
                  id: s,
                  label: count === undefined ? STATUS_LABELS[s] : `${STATUS_LABELS[s]} (${count})`,
                };
              }),
              {
                id: AT_RISK,
                label: counts.data?.at_risk === undefined ? 'At risk' : `At risk (${counts.data.at_risk})`,
              },
            ].map((t) => ({ ...t, content: t.id === active ? table : undefined }))}
          />
        )}
      </SpaceBetween>
      {releasing && (
        <BulkReleaseModal
          orders={selected}
          onClose={(changed) => {
            setReleasing(false);
            if (!changed) return;
            setSelected([]);
            list.reload();
            counts.reload();
          }}
        />
      )}
    </ContentLayout>
  );
}
