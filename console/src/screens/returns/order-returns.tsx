import Header from '@cloudscape-design/components/header';
import Table from '@cloudscape-design/components/table';
import { endpoints } from '../../api/endpoints.ts';
import type { ReturnView } from '../../api/types.ts';
import { useResource } from '../../app/use-resource.ts';
import { formatDateTime, formatMoney } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert } from '../../components/states.tsx';
import { RefundStatusIndicator, ReturnStatusIndicator } from './return-status.tsx';

/** An order's returns with their refunds, on the order screen (the refund is visible where service looks first). */
export function OrderReturns({ orderId }: { orderId: string }) {
  const list = useResource(`order-returns:${orderId}`, (signal) =>
    endpoints.listReturns({ orderId }, signal),
  );
  const items = list.data?.items ?? [];
  return (
    <Table<ReturnView>
      data-testid="order-returns"
      variant="container"
      header={<Header counter={`(${items.length})`}>Returns</Header>}
      loading={list.loading}
      loadingText="Loading returns"
      items={items}
      trackBy="returnId"
      empty={
        list.error ? (
          <ApiErrorAlert error={list.error} onRetry={list.reload} what="load the returns" />
        ) : (
          'No returns.'
        )
      }
      columnDefinitions={[
        {
          id: 'return',
          header: 'Return',
          isRowHeader: true,
          cell: (r) => (
            <RouterLink href={`/returns/${encodeURIComponent(r.returnId)}`}>{r.returnId}</RouterLink>
          ),
        },
        { id: 'status', header: 'Status', cell: (r) => <ReturnStatusIndicator status={r.status} /> },
        {
          id: 'units',
          header: 'Units',
          cell: (r) => r.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', '),
        },
        { id: 'refund', header: 'Refund', cell: (r) => <RefundStatusIndicator status={r.refund.status} /> },
        { id: 'amount', header: 'Amount', cell: (r) => formatMoney(r.refund.amount, r.refund.currency) },
        {
          id: 'exchange',
          header: 'Exchange order',
          cell: (r) =>
            r.exchange?.orderId ? (
              <RouterLink href={`/orders/${encodeURIComponent(r.exchange.orderId)}`}>
                {r.exchange.orderId}
              </RouterLink>
            ) : (
              '—'
            ),
        },
        { id: 'requested', header: 'Requested', cell: (r) => formatDateTime(r.createdAt) },
      ]}
    />
  );
}
