import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useEffect, useState } from 'react';
import { endpoints } from '../../api/endpoints.ts';
import type { ReturnStatus, ReturnView } from '../../api/types.ts';
import { usePage } from '../../app/chrome.tsx';
import { useResource } from '../../app/use-resource.ts';
import { formatDateTime, formatMoney, formatNumber } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { useQueryParams } from '../../components/query-params.ts';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';
import { RETURN_STATUS_LABELS, RefundStatusIndicator, ReturnStatusIndicator } from './return-status.tsx';

const STATUSES = Object.keys(RETURN_STATUS_LABELS) as ReturnStatus[];
const ALL = 'all';

/**
 * Returns newest first, by status (the ones needing a supervisor first to hand) or of one order;
 * filters live in the URL so a view can be shared.
 */
export default function Returns() {
  usePage('Returns', [{ text: 'Returns', href: '/returns' }]);
  const [params, update] = useQueryParams();
  const status = (STATUSES as string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as ReturnStatus)
    : undefined;
  const orderId = params.get('orderId') ?? '';
  const [draft, setDraft] = useState(orderId);
  useEffect(() => setDraft(orderId), [orderId]);
  const list = useResource(`returns:${status ?? ''}:${orderId}`, (signal) =>
    endpoints.listReturns({ ...(status ? { status } : {}), ...(orderId ? { orderId } : {}) }, signal),
  );
  const items = list.data?.items ?? [];
  const units = (r: ReturnView) => r.lines.reduce((s, l) => s + l.quantity, 0);

  return (
    <Table<ReturnView>
      data-testid="returns-table"
      variant="full-page"
      stickyHeader
      loading={list.loading}
      loadingText="Loading returns"
      items={items}
      trackBy="returnId"
      wrapLines={false}
      header={
        <Header
          variant="awsui-h1-sticky"
          counter={list.data ? `(${items.length})` : undefined}
          description="Return authorisations from request to disposition and refund."
        >
          Returns
        </Header>
      }
      filter={
        <SpaceBetween direction="horizontal" size="xs">
          <Select
            selectedOption={{
              value: status ?? ALL,
              label: status ? RETURN_STATUS_LABELS[status] : 'Every status',
            }}
            onChange={({ detail }) =>
              update({
                status: detail.selectedOption.value === ALL ? undefined : detail.selectedOption.value,
              })
            }
            options={[
              { value: ALL, label: 'Every status' },
              ...STATUSES.map((s) => ({ value: s, label: RETURN_STATUS_LABELS[s] })),
            ]}
            ariaLabel="Status"
          />
          <form
            onSubmit={(e) => {
              e.preventDefault();
              update({ orderId: draft.trim() || undefined });
            }}
          >
            <Input
              type="search"
              value={draft}
              onChange={({ detail }) => setDraft(detail.value)}
              placeholder="Order id"
              ariaLabel="Order id"
            />
          </form>
        </SpaceBetween>
      }
      empty={
        list.error ? (
          <ApiErrorAlert error={list.error} onRetry={list.reload} what="load returns" />
        ) : (
          <EmptyState title="No returns" subtitle="Nothing matches these filters." />
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
        {
          id: 'order',
          header: 'Order',
          cell: (r) => <RouterLink href={`/orders/${encodeURIComponent(r.orderId)}`}>{r.orderId}</RouterLink>,
        },
        { id: 'status', header: 'Status', cell: (r) => <ReturnStatusIndicator status={r.status} /> },
        { id: 'units', header: 'Units', cell: (r) => formatNumber(units(r)) },
        { id: 'value', header: 'Value', cell: (r) => formatMoney(r.value, r.refund.currency) },
        { id: 'refund', header: 'Refund', cell: (r) => <RefundStatusIndicator status={r.refund.status} /> },
        { id: 'created', header: 'Requested', cell: (r) => formatDateTime(r.createdAt) },
      ]}
    />
  );
}
