import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import Table from '@cloudscape-design/components/table';
import { useParams } from 'react-router';
import type { ReceiptReport } from '../../../../functions/inbound/api.ts';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { PurchaseOrderView } from '../../api/types.ts';
import { usePage } from '../../app/chrome.tsx';
import { useResource } from '../../app/use-resource.ts';
import { formatDateTime, formatMoney, formatNumber } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';
import { PoStatusIndicator } from './po-status.tsx';

type PoLineView = PurchaseOrderView['lines'][number];

const RECEIPT_STATUS: Record<ReceiptReport['status'], string> = {
  not_started: 'Not started',
  open: 'Receiving',
  closed: 'Closed',
};

/** Seconds as the floor says them: "42 s", "18 min", "3.5 h". */
const duration = (seconds: number) =>
  seconds < 90
    ? `${seconds} s`
    : seconds < 5400
      ? `${Math.round(seconds / 60)} min`
      : `${(seconds / 3600).toFixed(1)} h`;

async function loadPo(poId: string, signal: AbortSignal): Promise<PurchaseOrderView | undefined> {
  try {
    return await endpoints.getPurchaseOrder(poId, signal);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** One purchase order: its terms, and per line what was ordered, announced by ASNs and received. */
export default function PurchaseOrderDetail() {
  const { poId = '' } = useParams();
  usePage(`PO ${poId}`, [
    { text: 'Purchase orders', href: '/purchasing' },
    { text: poId, href: `/purchasing/${encodeURIComponent(poId)}` },
  ]);
  const po = useResource(`purchase-order:${poId}`, (signal) => loadPo(poId, signal));
  const p = po.data;
  // One receipt per ASN: its counts, putaway progress and dock-to-stock.
  const asnIds = p?.asnIds ?? [];
  const receipts = useResource(asnIds.length ? `receipts:${asnIds.join(',')}` : null, (signal) =>
    Promise.all(asnIds.map((id) => endpoints.getReceipt(id, signal))),
  );

  if (po.loading && !p) return <Spinner size="large" />;
  if (po.error) return <ApiErrorAlert error={po.error} onRetry={po.reload} what="load the purchase order" />;
  if (!p) {
    return (
      <ContentLayout header={<Header variant="h1">Purchase order</Header>}>
        <Container>
          <EmptyState
            title="Purchase order not found"
            subtitle={`No purchase order ${poId} was found.`}
            action={<RouterLink href="/purchasing">All purchase orders</RouterLink>}
          />
        </Container>
      </ContentLayout>
    );
  }
  const received = p.lines.reduce((s, l) => s + l.received, 0);
  return (
    <ContentLayout header={<Header variant="h1">PO {p.poId}</Header>}>
      <SpaceBetween size="l">
        <Container header={<Header variant="h2">Order</Header>} data-testid="po-summary">
          <KeyValuePairs
            columns={4}
            items={[
              { label: 'Status', value: <PoStatusIndicator status={p.status} /> },
              { label: 'Supplier', value: p.supplierId },
              { label: 'Location', value: p.locationId },
              { label: 'Expected', value: p.expectedAt },
              { label: 'Cost', value: formatMoney(p.totalCostMinor, p.currency) },
              {
                label: 'Received',
                value: (
                  <ProgressBar
                    value={p.totalUnits ? (100 * received) / p.totalUnits : 0}
                    additionalInfo={`${formatNumber(received)} of ${formatNumber(p.totalUnits)} units`}
                    ariaLabel="Units received"
                  />
                ),
              },
              { label: 'Placed', value: `${formatDateTime(p.createdAt)} by ${p.createdBy}` },
              { label: 'ASNs', value: p.asnIds.length ? p.asnIds.join(', ') : '—' },
              ...(p.cancelReason ? [{ label: 'Cancelled because', value: p.cancelReason }] : []),
            ]}
          />
        </Container>
        <Table<PoLineView>
          data-testid="po-lines"
          variant="container"
          header={<Header counter={`(${p.lines.length})`}>Lines</Header>}
          items={p.lines}
          trackBy="sku"
          columnDefinitions={[
            { id: 'line', header: '#', cell: (l) => l.lineNo },
            {
              id: 'sku',
              header: 'SKU',
              isRowHeader: true,
              cell: (l) => <RouterLink href={`/inventory/${encodeURIComponent(l.sku)}`}>{l.sku}</RouterLink>,
            },
            { id: 'ordered', header: 'Ordered', cell: (l) => formatNumber(l.quantity) },
            { id: 'advised', header: 'On ASNs', cell: (l) => formatNumber(l.advised) },
            { id: 'received', header: 'Received', cell: (l) => formatNumber(l.received) },
            { id: 'open', header: 'Still expected', cell: (l) => formatNumber(l.quantity - l.received) },
            { id: 'cost', header: 'Unit cost', cell: (l) => formatMoney(l.unitCostMinor, p.currency) },
          ]}
        />
        {asnIds.length > 0 && (
          <Table<ReceiptReport>
            data-testid="po-receipts"
            variant="container"
            header={
              <Header
                counter={`(${asnIds.length})`}
                description="Dock-to-stock: from the first scan at the dock to the last unit put away."
              >
                Receipts
              </Header>
            }
            loading={receipts.loading}
            loadingText="Loading receipts"
            items={receipts.data ?? []}
            trackBy="asnId"
            empty={
              receipts.error ? (
                <ApiErrorAlert error={receipts.error} onRetry={receipts.reload} what="load the receipts" />
              ) : undefined
            }
            columnDefinitions={[
              { id: 'asn', header: 'ASN', isRowHeader: true, cell: (r) => r.asnId },
              { id: 'status', header: 'Status', cell: (r) => RECEIPT_STATUS[r.status] },
              {
                id: 'received',
                header: 'Received',
                cell: (r) =>
                  `${formatNumber(r.lines.reduce((n, l) => n + l.received, 0))} of ${formatNumber(r.lines.reduce((n, l) => n + l.expected, 0))}`,
              },
              {
                id: 'exceptions',
                header: 'Exceptions',
                cell: (r) =>
                  r.exceptions
                    ? r.exceptions.length
                      ? r.exceptions.map((x) => `${x.quantity} ${x.type} ${x.sku}`).join(', ')
                      : 'None'
                    : '—',
              },
              {
                id: 'putaway',
                header: 'Put away',
                cell: (r) => `${r.putaway.done} of ${r.putaway.tasks} tasks`,
              },
              {
                id: 'dock',
                header: 'Dock to stock',
                cell: (r) => (r.dockToStockSeconds === null ? '—' : duration(r.dockToStockSeconds)),
              },
            ]}
          />
        )}
      </SpaceBetween>
    </ContentLayout>
  );
}
