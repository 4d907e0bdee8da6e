import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { lazy, Suspense, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { TransferStatus, TransferView } from '../../../../functions/inbound/api.ts';
import type { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import { can } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { useCursorList } from '../../app/use-resource.ts';
import { formatNumber } from '../../components/format.tsx';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';

// The dialogs load when first opened, not with the list.
const NewTransferModal = lazy(() =>
  import('./transfer-modals.tsx').then((m) => ({ default: m.NewTransferModal })),
);
const ReceiveTransferModal = lazy(() =>
  import('./transfer-modals.tsx').then((m) => ({ default: m.ReceiveTransferModal })),
);

const CREATE = 'POST /api/transfers';
const SHIP = 'POST /api/transfers/{transferId}/ship';
const RECEIVE = 'POST /api/transfers/{transferId}/receive';

const STATUS: Record<TransferStatus, { label: string; type: StatusIndicatorProps.Type }> = {
  created: { label: 'Created', type: 'pending' },
  shipped: { label: 'In transit', type: 'in-progress' },
  receiving: { label: 'Receiving', type: 'in-progress' },
  received: { label: 'Received', type: 'success' },
};
const STATUSES = Object.keys(STATUS) as TransferStatus[];

const units = (t: TransferView) => t.lines.reduce((n, l) => n + l.quantity, 0);

/** What a received transfer's count differed by, in words ("2 short of A, 1 over of B"). */
function varianceText(t: TransferView): string {
  const off = (t.variances ?? []).filter((v) => v.variance !== 0);
  if (!t.variances) return '—';
  if (off.length === 0) return 'None';
  return off
    .map((v) => `${Math.abs(v.variance)} ${v.variance < 0 ? 'short' : 'over'} of ${v.sku}`)
    .join(', ');
}

/**
 * Transfers between locations by status (in transit by default, newest first): create one, ship
 * a created one (its units leave the source), receive one in transit with what arrived.
 */
export default function Transfers() {
  usePage('Transfers', [
    { text: 'Purchasing', href: '/purchasing' },
    { text: 'Transfers', href: '/purchasing/transfers' },
  ]);
  const user = useUser();
  const { notify } = useNotifications();
  const [params, setParams] = useSearchParams();
  const status = (STATUSES as string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as TransferStatus)
    : 'shipped';
  const [generation, setGeneration] = useState(0);
  const [selected, setSelected] = useState<TransferView[]>([]);
  const [dialog, setDialog] = useState<'new' | 'receive' | null>(null);
  const [shipping, setShipping] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const list = useCursorList<TransferView>(`transfers:${status}:${generation}`, (cursor, signal) =>
    endpoints.listTransfers({ status, ...(cursor ? { cursor } : {}) }, signal),
  );
  const one = selected[0];
  const refresh = () => {
    setSelected([]);
    setGeneration((g) => g + 1);
  };

  const ship = async () => {
    if (!one) return;
    setShipping(true);
    setError(null);
    try {
      const t = await endpoints.shipTransfer(one.transferId);
      notify({
        type: 'success',
        header: `Transfer ${t.transferId} shipped`,
        content: `${formatNumber(units(t))} units in transit to ${t.toLocationId}, expected ${t.expectedAt}.`,
      });
      refresh();
    } catch (e) {
      setError(e as ApiError);
    }
    setShipping(false);
  };

  return (
    <SpaceBetween size="m">
      {error && <ApiErrorAlert error={error} what={`ship transfer ${one?.transferId ?? ''}`} />}
      <Table<TransferView>
        data-testid="transfers-table"
        variant="full-page"
        stickyHeader
        loading={list.loading}
        loadingText="Loading transfers"
        items={list.items}
        trackBy="transferId"
        selectionType={can(user.roles, SHIP) || can(user.roles, RECEIVE) ? 'single' : undefined}
        selectedItems={selected}
        onSelectionChange={({ detail }) => setSelected(detail.selectedItems)}
        header={
          <Header
            variant="awsui-h1-sticky"
            counter={list.data ? `(${list.items.length}${list.data.nextCursor ? '+' : ''})` : undefined}
            description="Stock moved between locations: shipped out of one, in transit, received at the other."
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                {can(user.roles, SHIP) && (
                  <Button
                    disabled={one?.status !== 'created'}
                    loading={shipping}
                    onClick={() => void ship()}
                    data-testid="ship-transfer"
                  >
                    Ship
                  </Button>
                )}
                {can(user.roles, RECEIVE) && (
                  <Button
                    disabled={one?.status !== 'shipped'}
                    onClick={() => setDialog('receive')}
                    data-testid="receive-transfer"
                  >
                    Receive
                  </Button>
                )}
                {can(user.roles, CREATE) && (
                  <Button variant="primary" onClick={() => setDialog('new')} data-testid="new-transfer">
                    New transfer
                  </Button>
                )}
              </SpaceBetween>
            }
          >
            Transfers
          </Header>
        }
        filter={
          <Select
            selectedOption={{ value: status, label: STATUS[status].label }}
            onChange={({ detail }) => {
              setSelected([]);
              setParams(
                detail.selectedOption.value === 'shipped'
                  ? {}
                  : { status: detail.selectedOption.value ?? '' },
                {
                  replace: true,
                },
              );
            }}
            options={STATUSES.map((s) => ({ value: s, label: STATUS[s].label }))}
            ariaLabel="Status"
          />
        }
        pagination={<Pagination {...list.pagination} />}
        empty={
          list.error ? (
            <ApiErrorAlert error={list.error} onRetry={list.reload} what="load transfers" />
          ) : (
            <EmptyState title="No transfers" subtitle={`None is ${STATUS[status].label.toLowerCase()}.`} />
          )
        }
        columnDefinitions={[
          { id: 'id', header: 'Transfer', isRowHeader: true, cell: (t) => t.transferId },
          { id: 'from', header: 'From', cell: (t) => t.fromLocationId },
          { id: 'to', header: 'To', cell: (t) => t.toLocationId },
          {
            id: 'status',
            header: 'Status',
            cell: (t) => (
              <StatusIndicator type={STATUS[t.status].type}>{STATUS[t.status].label}</StatusIndicator>
            ),
          },
          { id: 'expected', header: 'Expected', cell: (t) => t.expectedAt ?? '—' },
          {
            id: 'lines',
            header: 'Lines',
            cell: (t) => t.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', '),
          },
          { id: 'units', header: 'Units', cell: (t) => formatNumber(units(t)) },
          { id: 'variances', header: 'Variances', cell: varianceText },
        ]}
      />
      <Suspense fallback={null}>
        {dialog === 'new' && (
          <NewTransferModal
            onClose={() => setDialog(null)}
            onDone={(t) => {
              setDialog(null);
              notify({
                type: 'success',
                header: `Transfer ${t.transferId} created`,
                content: 'Ship it when it leaves.',
              });
              setParams({ status: 'created' }, { replace: true });
              refresh();
            }}
          />
        )}
        {dialog === 'receive' && one && (
          <ReceiveTransferModal
            transfer={one}
            onClose={() => setDialog(null)}
            onDone={(t) => {
              setDialog(null);
              notify({
                type: 'success',
                header: `Transfer ${t.transferId} received`,
                content: `Variances: ${varianceText(t)}.`,
              });
              refresh();
            }}
          />
        )}
      </Suspense>
    </SpaceBetween>
  );
}
