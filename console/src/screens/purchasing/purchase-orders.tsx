import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Pagination from '@cloudscape-design/components/pagination';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { endpoints } from '../../api/endpoints.ts';
import type { PoStatus, PurchaseOrderSummary } from '../../api/types.ts';
import { can } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { useCursorList } from '../../app/use-resource.ts';
import { formatMoney, formatNumber } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { useQueryParams } from '../../components/query-params.ts';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';
import { PO_STATUS_LABELS, PoStatusIndicator } from './po-status.tsx';

const STATUSES = Object.keys(PO_STATUS_LABELS) as PoStatus[];
const PLACE = 'POST /api/purchase-orders';
// The dialog loads when first opened, not with the list.
const NewPurchaseOrderModal = lazy(() =>
  import('./new-po-modal.tsx').then((m) => ({ default: m.NewPurchaseOrderModal })),
);

/**
 * Purchase orders in one status (open by default, earliest expected first), optionally of one
 * supplier or for one location; filters live in the URL so a view can be shared.
 */
export default function PurchaseOrders() {
  usePage('Purchase orders', [{ text: 'Purchase orders', href: '/purchasing' }]);
  const [params, update] = useQueryParams();
  const status = (STATUSES as string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as PoStatus)
    : 'open';
  const supplierId = params.get('supplierId') ?? '';
  const locationId = params.get('locationId') ?? '';
  const [drafts, setDrafts] = useState({ supplierId, locationId });
  const user = useUser();
  const navigate = useNavigate();
  const { notify } = useNotifications();
  const [placing, setPlacing] = useState(false);
  useEffect(() => setDrafts({ supplierId, locationId }), [supplierId, locationId]);

  const list = useCursorList<PurchaseOrderSummary>(
    `purchase-orders:${status}:${supplierId}:${locationId}`,
    (cursor, signal) =>
      endpoints.listPurchaseOrders(
        {
          status,
          ...(supplierId ? { supplierId } : {}),
          ...(locationId ? { locationId } : {}),
          limit: 50,
          ...(cursor ? { cursor } : {}),
        },
        signal,
      ),
  );

  const textFilter = (field: 'supplierId' | 'locationId', placeholder: string) => (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        update({ [field]: drafts[field].trim() || undefined });
      }}
    >
      <Input
        type="search"
        value={drafts[field]}
        onChange={({ detail }) => setDrafts((d) => ({ ...d, [field]: detail.value }))}
        placeholder={placeholder}
        ariaLabel={placeholder}
      />
    </form>
  );

  return (
    <>
      <Table<PurchaseOrderSummary>
        data-testid="purchase-orders-table"
        variant="full-page"
        stickyHeader
        loading={list.loading}
        loadingText="Loading purchase orders"
        items={list.items}
        trackBy="poId"
        wrapLines={false}
        header={
          <Header
            variant="awsui-h1-sticky"
            counter={list.data ? `(${list.items.length}${list.data.nextCursor ? '+' : ''})` : undefined}
            description="Orders placed with suppliers and what has been received of them."
            actions={
              can(user.roles, PLACE) ? (
                <Button variant="primary" onClick={() => setPlacing(true)} data-testid="new-po">
                  New purchase order
                </Button>
              ) : undefined
            }
          >
            Purchase orders
          </Header>
        }
        filter={
          <SpaceBetween direction="horizontal" size="xs">
            <Select
              selectedOption={{ value: status, label: PO_STATUS_LABELS[status] }}
              onChange={({ detail }) =>
                update({
                  status: detail.selectedOption.value === 'open' ? undefined : detail.selectedOption.value,
                })
              }
              options={STATUSES.map((s) => ({ value: s, label: PO_STATUS_LABELS[s] }))}
              ariaLabel="Status"
            />
            {textFilter('supplierId', 'Supplier id')}
            {textFilter('locationId', 'Location id')}
          </SpaceBetween>
        }
        pagination={<Pagination {...list.pagination} />}
        empty={
          list.error ? (
            <ApiErrorAlert error={list.error} onRetry={list.reload} what="load purchase orders" />
          ) : (
            <EmptyState
              title="No purchase orders"
              subtitle={`None is ${PO_STATUS_LABELS[status].toLowerCase()}.`}
            />
          )
        }
        columnDefinitions={[
          {
            id: 'po',
            header: 'PO',
            isRowHeader: true,
            cell: (p) => <RouterLink href={`/purchasing/${encodeURIComponent(p.poId)}`}>{p.poId}</RouterLink>,
          },
          { id: 'supplier', header: 'Supplier', cell: (p) => p.supplierId },
          { id: 'location', header: 'Location', cell: (p) => p.locationId },
          { id: 'expected', header: 'Expected', cell: (p) => p.expectedAt },
          { id: 'status', header: 'Status', cell: (p) => <PoStatusIndicator status={p.status} /> },
          { id: 'lines', header: 'Lines', cell: (p) => p.lineCount },
          { id: 'units', header: 'Units', cell: (p) => formatNumber(p.totalUnits) },
          { id: 'cost', header: 'Cost', cell: (p) => formatMoney(p.totalCostMinor, p.currency) },
        ]}
      />
      {placing && (
        <Suspense fallback={null}>
          <NewPurchaseOrderModal
            onClose={() => setPlacing(false)}
            onDone={(po) => {
              setPlacing(false);
              notify({
                type: 'success',
                header: `Purchase order ${po.poId} placed`,
                content: 'Its units now show as incoming.',
              });
              navigate(`/purchasing/${encodeURIComponent(po.poId)}`);
            }}
          />
        </Suspense>
      )}
    </>
  );
}
