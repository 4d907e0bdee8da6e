import Badge from '@cloudscape-design/components/badge';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { endpoints } from '../../api/endpoints.ts';
import type {
  AdjustmentResult,
  ChannelAvailability,
  IncomingStock,
  PositionView,
  Sku,
  StockView,
} from '../../api/types.ts';
import { can } from '../../app/access.ts';
import { BUCKET_LABELS } from '../../app/buckets.ts';
import { usePage } from '../../app/chrome.tsx';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { formatNumber } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, EmptyState, UndeclaredNotice } from '../../components/states.tsx';
import { AdjustStockModal } from './adjust-modal.tsx';
import { Ledger } from './ledger.tsx';
import { MoveBucketsModal } from './move-modal.tsx';
import { PositionsChart, PositionsTable } from './positions.tsx';
import { ReceiveStockModal } from './receive-modal.tsx';
import { ShardingModal } from './sharding-modal.tsx';
import { StockChart } from './stock-chart.tsx';

const ADJUST = 'POST /api/inventory/adjustments';
const MOVE = 'POST /api/inventory/moves';
const RECEIVE = 'POST /api/inventory/receipts';
const LEDGER = 'GET /api/inventory/{sku}/ledger';
const SHARDING = 'PUT /api/inventory/{sku}/sharding';
/** The screen's commands and the ledger: one the manifest does not declare is not offered, and the screen says so. */
const SKU_ROUTES = [ADJUST, MOVE, RECEIVE, LEDGER, SHARDING];

function totals(positions: PositionView[]) {
  const sum = (f: (p: PositionView) => number) => positions.reduce((n, p) => n + f(p), 0);
  return {
    onHand: sum((p) => p.onHand),
    available: sum((p) => p.available),
    reserved: sum((p) => p.reserved),
    held: sum((p) => p.damaged + p.quarantined + p.returnedPending),
    safetyStock: sum((p) => p.safetyStock),
    inTransit: sum((p) => p.inTransit),
  };
}

/** Units on open purchase orders, one row per PO and location, earliest expected first. */
function IncomingTable({ incoming }: { incoming: IncomingStock[] }) {
  const rows = incoming.flatMap((l) => l.purchaseOrders.map((po) => ({ ...po, locationId: l.locationId })));
  return (
    <Table
      variant="container"
      data-testid="incoming-table"
      header={<Header counter={`(${rows.length})`}>Incoming on purchase orders</Header>}
      items={rows}
      trackBy={(r) => `${r.poId}:${r.locationId}`}
      empty={<EmptyState title="Nothing incoming" subtitle="No open purchase order brings this SKU." />}
      columnDefinitions={[
        { id: 'location', header: 'Location', cell: (r) => r.locationId, isRowHeader: true },
        {
          id: 'po',
          header: 'PO',
          cell: (r) => <RouterLink href={`/purchasing/${encodeURIComponent(r.poId)}`}>{r.poId}</RouterLink>,
        },
        { id: 'expected', header: 'Expected', cell: (r) => r.expectedAt },
        { id: 'quantity', header: 'Units', cell: (r) => formatNumber(r.quantity) },
      ]}
    />
  );
}

function ChannelAvailabilityTable({ channels }: { channels: ChannelAvailability[] | undefined }) {
  if (!channels) {
    return (
      <Container header={<Header>Per-channel availability</Header>}>
        <EmptyState
          title="Not available yet"
          subtitle="Available-to-promise per channel (after exposure rules) appears here once the API returns it with the stock of a SKU."
        />
      </Container>
    );
  }
  return (
    <Table<ChannelAvailability>
      data-testid="channel-availability"
      variant="container"
      items={channels}
      trackBy="channelId"
      header={
        <Header
          counter={`(${channels.length})`}
          description="What each sales channel is offered: available stock at the locations serving it, after the channel's exposure rule."
        >
          Per-channel availability
        </Header>
      }
      empty={
        <EmptyState title="No channels" subtitle="No sales channel is set up yet (Settings → Channels)." />
      }
      columnDefinitions={[
        { id: 'channel', header: 'Channel', cell: (c) => c.channelId, isRowHeader: true },
        {
          id: 'available',
          header: 'Available to promise',
          cell: (c) => <Box fontWeight="bold">{formatNumber(c.available)}</Box>,
        },
      ]}
    />
  );
}

export default function SkuDetail() {
  const { sku = '' } = useParams();
  const user = useUser();
  const { notify } = useNotifications();
  const [params, setParams] = useSearchParams();
  const requestedTab = params.get('tab') ?? 'positions';
  const [dialog, setDialog] = useState<'adjust' | 'move' | 'receive' | 'sharding' | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  usePage(sku, [
    { text: 'Inventory', href: '/inventory' },
    { text: sku, href: `/inventory/${encodeURIComponent(sku)}` },
  ]);

  const item = useResource<Sku>(`sku:${sku}`, (signal) => endpoints.getSku(sku, signal));
  const stock = useResource<StockView>(`stock:${sku}:${refreshKey}`, (signal) =>
    endpoints.getStock(sku, signal),
  );
  const positions = stock.data?.positions ?? [];
  const t = totals(positions);

  const canAdjust = can(user.roles, ADJUST);
  const canMove = can(user.roles, MOVE);
  const canReceive = can(user.roles, RECEIVE);
  const canReadLedger = can(user.roles, LEDGER);
  const canShard = can(user.roles, SHARDING);

  const done = (verb: string) => (result: AdjustmentResult) => {
    setDialog(null);
    // The position answers at once; its ledger movement follows from the table stream.
    const bump = () => setRefreshKey((k) => k + 1);
    bump();
    for (const ms of [1500, 4000]) setTimeout(bump, ms);
    const m = result.movement;
    notify({
      type: 'success',
      header: `${verb} ${m.sku} at ${m.locationId}`,
      content: (
        <span data-testid="adjust-result">
          {m.delta > 0 ? '+' : '−'}
          {formatNumber(Math.abs(m.delta))} {BUCKET_LABELS[m.bucket]?.toLowerCase() ?? m.bucket}; on hand now{' '}
          {formatNumber(result.position.onHand)}, available {formatNumber(result.position.available)}.
        </span>
      ),
    });
  };

  if (item.error && item.error.status === 404 && !item.error.notAvailable) {
    return (
      <ContentLayout header={<Header variant="h1">{sku}</Header>}>
        <Container>
          <EmptyState
            title="SKU not found"
            subtitle={`There is no SKU ${sku} in the catalog.`}
            action={<RouterLink href="/inventory">Search the catalog</RouterLink>}
          />
        </Container>
      </ContentLayout>
    );
  }

  const actions = (
    <SpaceBetween direction="horizontal" size="xs">
      <Button
        iconName="refresh"
        ariaLabel="Refresh"
        onClick={() => setRefreshKey((k) => k + 1)}
        loading={stock.loading}
      />
      {canShard && (
        <Button onClick={() => setDialog('sharding')} disabled={positions.length === 0}>
          Sharding{stock.data?.shards ? ` (${stock.data.shards})` : ''}
        </Button>
      )}
      {canReceive && (
        <Button onClick={() => setDialog('receive')} data-testid="receive-open">
          Receive
        </Button>
      )}
      {canMove && (
        <Button onClick={() => setDialog('move')} disabled={positions.length === 0} data-testid="move-open">
          Move between buckets
        </Button>
      )}
      {canAdjust && (
        <Button variant="primary" onClick={() => setDialog('adjust')} data-testid="adjust-open">
          Adjust stock
        </Button>
      )}
    </SpaceBetween>
  );

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={
            item.data ? (
              <span className="qm-inline-list">
                <span>{item.data.sku}</span>
                {item.data.kit && <Badge color="blue">Kit</Badge>}
                {(item.data.barcodes ?? []).map((b) => (
                  <Badge key={b}>{b}</Badge>
                ))}
              </span>
            ) : undefined
          }
          actions={actions}
        >
          <span data-testid="sku-title">{item.data?.name ?? sku}</span>
        </Header>
      }
    >
      <SpaceBetween size="l">
        <UndeclaredNotice routes={SKU_ROUTES} />
        {item.error && <ApiErrorAlert error={item.error} onRetry={item.reload} what="load the SKU" />}
        {stock.error && <ApiErrorAlert error={stock.error} onRetry={stock.reload} what="load the stock" />}
        <Container header={<Header variant="h2">Summary</Header>}>
          {stock.loading && !stock.data ? (
            <Spinner />
          ) : (
            <KeyValuePairs
              columns={4}
              data-testid="stock-summary"
              items={[
                {
                  label: 'On hand',
                  value: <span data-testid="total-on-hand">{formatNumber(t.onHand)}</span>,
                },
                {
                  label: 'Available',
                  value: (
                    <Box variant="awsui-value-large" data-testid="total-available">
                      {formatNumber(t.available)}
                    </Box>
                  ),
                },
                { label: 'Reserved', value: formatNumber(t.reserved) },
                { label: 'Damaged, quarantined, returned', value: formatNumber(t.held) },
                { label: 'Safety stock', value: formatNumber(t.safetyStock) },
                { label: 'In transit', value: formatNumber(t.inTransit) },
                { label: 'Locations', value: formatNumber(positions.length) },
                ...(item.data?.kit
                  ? [
                      {
                        label: 'Kit components',
                        value: item.data.kit.components.map((c) => (
                          <div key={c.sku}>
                            <RouterLink href={`/inventory/${encodeURIComponent(c.sku)}`}>{c.sku}</RouterLink>{' '}
                            × {c.quantity}
                          </div>
                        )),
                      },
                    ]
                  : []),
              ]}
            />
          )}
        </Container>
        <Tabs
          activeTabId={
            (requestedTab === 'ledger' || requestedTab === 'history') && !canReadLedger
              ? 'positions'
              : requestedTab
          }
          onChange={({ detail }) => {
            const p = new URLSearchParams();
            if (detail.activeTabId !== 'positions') p.set('tab', detail.activeTabId);
            setParams(p);
          }}
          tabs={[
            {
              id: 'positions',
              label: 'Positions',
              content: (
                <SpaceBetween size="l">
                  <PositionsTable positions={positions} loading={stock.loading} />
                  <PositionsChart positions={positions} />
                </SpaceBetween>
              ),
            },
            {
              id: 'incoming',
              label: 'Incoming',
              content: <IncomingTable incoming={stock.data?.incoming ?? []} />,
            },
            {
              id: 'channels',
              label: 'Channel availability',
              content: <ChannelAvailabilityTable channels={stock.data?.channels} />,
            },
            ...(canReadLedger
              ? [
                  {
                    id: 'ledger',
                    label: 'Ledger',
                    content: <Ledger sku={sku} positions={positions} refreshKey={refreshKey} />,
                  },
                  {
                    id: 'history',
                    label: 'Stock over time',
                    content: <StockChart sku={sku} refreshKey={refreshKey} />,
                  },
                ]
              : []),
          ]}
        />
      </SpaceBetween>
      {dialog === 'adjust' && (
        <AdjustStockModal
          sku={sku}
          positions={positions}
          onClose={() => setDialog(null)}
          onDone={done('Adjusted')}
        />
      )}
      {dialog === 'sharding' && (
        <ShardingModal
          sku={sku}
          current={stock.data?.shards ?? 1}
          onClose={() => setDialog(null)}
          onDone={(shards) => {
            setDialog(null);
            setRefreshKey((k) => k + 1);
            notify({
              type: 'success',
              header: `${sku} now has ${shards} shard${shards === 1 ? '' : 's'} per position`,
            });
          }}
        />
      )}
      {dialog === 'receive' && (
        <ReceiveStockModal
          sku={sku}
          positions={positions}
          onClose={() => setDialog(null)}
          onDone={done('Received')}
        />
      )}
      {dialog === 'move' && (
        <MoveBucketsModal
          sku={sku}
          positions={positions}
          onClose={() => setDialog(null)}
          onDone={done('Moved')}
        />
      )}
    </ContentLayout>
  );
}
