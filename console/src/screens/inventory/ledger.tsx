import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { endpoints } from '../../api/endpoints.ts';
import type { JournalEntry, Movement, PositionView } from '../../api/types.ts';
import { can } from '../../app/access.ts';
import { BUCKET_LABELS } from '../../app/buckets.ts';
import { describeReason } from '../../app/reasons.ts';
import { useUser } from '../../app/session.tsx';
import { useCursorList } from '../../app/use-resource.ts';
import { Delta, formatDateTime, formatNumber } from '../../components/format.tsx';
import { useQueryParams } from '../../components/query-params.ts';
import { ApiErrorAlert, EmptyState, NotAvailable } from '../../components/states.tsx';

/**
 * The movement ledger of a SKU, paged by the API, filtered by location and ordered newest or
 * oldest first (both kept in the URL). Movements are written from the table stream, so a
 * change shows up here a moment after the position. While the ledger route is not served, the
 * SKU's event journal stands in: every adjustment is announced there with the same numbers.
 */
export function Ledger(props: { sku: string; positions: PositionView[]; refreshKey: number }) {
  const [params, setFilter] = useQueryParams();
  const location = params.get('location') ?? '';
  const order = params.get('order') === 'asc' ? 'asc' : 'desc';

  const key = `ledger:${props.sku}:${location}:${order}:${props.refreshKey}`;
  const ledger = useCursorList<Movement>(key, (cursor, signal) =>
    endpoints.ledger(
      props.sku,
      { ...(location ? { locationId: location } : {}), order, limit: 25, ...(cursor ? { cursor } : {}) },
      signal,
    ),
  );

  if (ledger.error?.notAvailable) return <JournalLedger sku={props.sku} refreshKey={props.refreshKey} />;

  const locationOptions = [
    { value: '', label: 'All locations' },
    ...props.positions.map((p) => ({ value: p.locationId, label: p.locationId })),
  ];
  return (
    <Table<Movement>
      data-testid="ledger-table"
      variant="container"
      loading={ledger.loading && ledger.items.length === 0}
      loadingText="Loading movements"
      items={ledger.items}
      trackBy="movementId"
      wrapLines={false}
      header={
        <Header description="Every change to this SKU's stock: who, why, when, before and after. New movements appear within seconds of the change.">
          Ledger
        </Header>
      }
      filter={
        <SpaceBetween direction="horizontal" size="xs">
          <Select
            selectedOption={locationOptions.find((o) => o.value === location) ?? locationOptions[0]!}
            onChange={({ detail }) => setFilter({ location: detail.selectedOption.value })}
            options={locationOptions}
            ariaLabel="Location"
          />
          <SegmentedControl
            selectedId={order}
            onChange={({ detail }) => setFilter({ order: detail.selectedId === 'asc' ? 'asc' : undefined })}
            options={[
              { id: 'desc', text: 'Newest first' },
              { id: 'asc', text: 'Oldest first' },
            ]}
            label="Order"
          />
        </SpaceBetween>
      }
      pagination={<Pagination {...ledger.pagination} />}
      empty={
        ledger.error ? (
          <ApiErrorAlert error={ledger.error} onRetry={ledger.reload} what="load the ledger" />
        ) : (
          <EmptyState title="No movements" subtitle="Nothing has moved for these filters yet." />
        )
      }
      columnDefinitions={[
        { id: 'at', header: 'When', cell: (m) => formatDateTime(m.occurredAt), isRowHeader: true },
        {
          id: 'location',
          header: 'Location',
          cell: (m) => (m.shard ? `${m.locationId} · shard ${m.shard}` : m.locationId),
        },
        { id: 'kind', header: 'Kind', cell: (m) => KIND_LABELS[m.kind] ?? m.kind },
        {
          id: 'delta',
          header: 'Change',
          cell: (m) => (
            <SpaceBetween direction="horizontal" size="xxs">
              <Delta value={m.delta} />
              <span>{BUCKET_LABELS[m.bucket]?.toLowerCase() ?? m.bucket}</span>
            </SpaceBetween>
          ),
        },
        {
          id: 'onHand',
          header: 'On hand',
          cell: (m) => `${formatNumber(m.before.onHand)} → ${formatNumber(m.after.onHand)}`,
        },
        {
          id: 'available',
          header: 'Available',
          cell: (m) => `${formatNumber(m.before.available)} → ${formatNumber(m.after.available)}`,
        },
        { id: 'reason', header: 'Reason', cell: (m) => describeReason(m.reason) },
        { id: 'actor', header: 'By', cell: (m) => m.actor },
        {
          id: 'correlation',
          header: 'Correlation id',
          cell: (m) => (
            <Box variant="code" fontSize="body-s">
              {m.correlationId}
            </Box>
          ),
        },
      ]}
    />
  );
}

const KIND_LABELS: Record<string, string> = {
  adjust: 'Adjustment',
  receive: 'Receipt',
  move: 'Bucket move',
  reserve: 'Reservation',
  release: 'Release',
  consume: 'Shipped',
  expire: 'Expired hold',
  rebalance: 'Rebalance',
  repair: 'Repair',
  unattributed: 'Unattributed',
};

type StockEventData = {
  locationId?: string;
  delta?: number;
  reason?: string;
  actor?: string;
  onHand?: number;
  available?: number;
};

function JournalLedger({ sku, refreshKey }: { sku: string; refreshKey: number }) {
  const user = useUser();
  const allowed = can(user.roles, 'GET /api/events');
  const journal = useCursorList<JournalEntry>(
    allowed ? `journal:sku:${sku}:${refreshKey}` : null,
    (cursor, signal) =>
      endpoints.events({ subject: `sku:${sku}`, limit: 25, ...(cursor ? { cursor } : {}) }, signal),
  );
  if (!allowed) {
    return (
      <NotAvailable route={`GET /api/inventory/${sku}/ledger`}>
        <span>Your role cannot read the event journal that stands in for it meanwhile.</span>
      </NotAvailable>
    );
  }
  const data = (e: JournalEntry) => (e.data ?? {}) as StockEventData;
  return (
    <Table<JournalEntry>
      data-testid="ledger-table"
      variant="container"
      loading={journal.loading}
      loadingText="Loading the journal"
      items={journal.items}
      trackBy="eventId"
      wrapLines={false}
      resizableColumns
      header={
        <Header description="From the event journal: the ledger route is not served yet, so these are the stock events of this SKU, newest first.">
          Ledger (event journal)
        </Header>
      }
      pagination={<Pagination {...journal.pagination} />}
      empty={
        journal.error ? (
          <ApiErrorAlert error={journal.error} onRetry={journal.reload} what="load the journal" />
        ) : (
          <EmptyState title="No stock events" subtitle="Nothing has happened to this SKU yet." />
        )
      }
      columnDefinitions={[
        { id: 'at', header: 'When', cell: (e) => formatDateTime(e.occurredAt), isRowHeader: true },
        { id: 'type', header: 'Event', cell: (e) => e.detailType },
        { id: 'location', header: 'Location', cell: (e) => data(e).locationId ?? '—' },
        {
          id: 'delta',
          header: 'Change',
          cell: (e) => (typeof data(e).delta === 'number' ? <Delta value={data(e).delta!} /> : '—'),
        },
        { id: 'onHand', header: 'On hand after', cell: (e) => formatNumber(data(e).onHand) },
        { id: 'available', header: 'Available after', cell: (e) => formatNumber(data(e).available) },
        {
          id: 'reason',
          header: 'Reason',
          cell: (e) => (data(e).reason ? describeReason(data(e).reason!) : '—'),
        },
        { id: 'actor', header: 'By', cell: (e) => data(e).actor ?? '—' },
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
