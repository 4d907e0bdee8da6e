import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { endpoints } from '../../api/endpoints.ts';
import type { OrderView } from '../../api/types.ts';
import { isDeclared } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useCursorList } from '../../app/use-resource.ts';
import { formatDateTime, formatMoney } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, EmptyState, NotAvailable } from '../../components/states.tsx';
import { OrderStatus } from './order-status.tsx';

/**
 * Orders found by channel and the channel's own order id (what a customer quotes), or opened
 * directly by Quartermaster order id. Filters live in the URL, so a search can be shared.
 */
const LIST_ORDERS = 'GET /api/orders';

export default function Orders() {
  usePage('Orders', [{ text: 'Orders', href: '/orders' }]);
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const channelId = params.get('channelId') ?? '';
  const externalId = params.get('externalId') ?? '';
  const [draft, setDraft] = useState({ channelId, externalId });
  const [orderId, setOrderId] = useState('');
  useEffect(() => setDraft({ channelId, externalId }), [channelId, externalId]);

  const filtered = Boolean(channelId);
  const listed = isDeclared(LIST_ORDERS);
  const list = useCursorList<OrderView>(
    filtered && listed ? `orders:${channelId}:${externalId}` : null,
    (cursor, signal) =>
      endpoints.findOrders(
        {
          channelId,
          ...(externalId ? { externalId } : {}),
          limit: 25,
          ...(cursor ? { cursor } : {}),
        },
        signal,
      ),
  );

  const search = (e: FormEvent) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (draft.channelId.trim()) p.set('channelId', draft.channelId.trim());
    if (draft.externalId.trim()) p.set('externalId', draft.externalId.trim());
    setParams(p);
  };
  const open = (e: FormEvent) => {
    e.preventDefault();
    if (orderId.trim()) navigate(`/orders/${encodeURIComponent(orderId.trim())}`);
  };

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Find an order by its channel and the channel's order number, or open it by id."
        >
          Orders
        </Header>
      }
    >
      <SpaceBetween size="l">
        <Container>
          <SpaceBetween size="m">
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
          </SpaceBetween>
        </Container>
        {!listed || list.error?.notAvailable ? (
          <NotAvailable route={LIST_ORDERS}>
            <span>Orders can still be opened by id once order details are served.</span>
          </NotAvailable>
        ) : (
          <Table<OrderView>
            data-testid="orders-table"
            variant="container"
            loading={list.loading}
            loadingText="Loading orders"
            items={list.items}
            trackBy="orderId"
            header={
              <Header
                counter={list.data ? `(${list.items.length}${list.data.nextCursor ? '+' : ''})` : undefined}
              >
                {channelId ? `Orders from ${channelId}` : 'Orders'}
              </Header>
            }
            filter={
              <form onSubmit={search}>
                <SpaceBetween direction="horizontal" size="xs">
                  <Input
                    value={draft.channelId}
                    onChange={({ detail }) => setDraft((d) => ({ ...d, channelId: detail.value }))}
                    placeholder="Channel id"
                    ariaLabel="Channel id"
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
            }
            pagination={<Pagination {...list.pagination} />}
            empty={
              list.error ? (
                <ApiErrorAlert error={list.error} onRetry={list.reload} what="load orders" />
              ) : (
                <EmptyState
                  title={filtered ? 'No orders' : 'Find an order'}
                  subtitle={
                    filtered
                      ? 'No order matches these filters.'
                      : 'Enter a channel to list its orders, and the channel order number to find one.'
                  }
                />
              )
            }
            columnDefinitions={[
              {
                id: 'id',
                header: 'Order',
                cell: (o) => (
                  <RouterLink href={`/orders/${encodeURIComponent(o.orderId)}`}>{o.orderId}</RouterLink>
                ),
                isRowHeader: true,
              },
              { id: 'channel', header: 'Channel', cell: (o) => o.channelId },
              { id: 'external', header: 'Channel order', cell: (o) => o.externalNumber ?? o.externalId },
              { id: 'status', header: 'Status', cell: (o) => <OrderStatus status={o.status} /> },
              { id: 'placed', header: 'Placed', cell: (o) => formatDateTime(o.placedAt) },
              { id: 'lines', header: 'Lines', cell: (o) => o.lines.length },
              { id: 'total', header: 'Total', cell: (o) => formatMoney(o.total, o.currency) },
              { id: 'payment', header: 'Payment', cell: (o) => o.paymentStatus },
            ]}
          />
        )}
      </SpaceBetween>
    </ContentLayout>
  );
}
