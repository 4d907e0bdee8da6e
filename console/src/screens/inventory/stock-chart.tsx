import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Header from '@cloudscape-design/components/header';
import LineChart from '@cloudscape-design/components/line-chart';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useMemo, useState } from 'react';
import { endpoints } from '../../api/endpoints.ts';
import type { Movement } from '../../api/types.ts';
import { useMySite } from '../../app/preferences.ts';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { formatDateTime, formatNumber } from '../../components/format.tsx';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';

/** Movements the chart reads at most (the newest ones), in pages of the ledger's largest size. */
const HISTORY_LIMIT = 2000;
const PAGE = 500;

interface StockPoint {
  at: string;
  locationId: string;
  onHand: number;
  available: number;
}

/**
 * A location's stock after each of its movements, from the ledger's before/after images.
 * A sharded position is several items: the location's number is the sum of each shard's latest
 * state, starting each shard from the `before` of its first movement in the window.
 */
function stockHistory(movements: readonly Movement[]): StockPoint[] {
  const ordered = [...movements].sort(
    (a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.version - b.version,
  );
  const latest = new Map<string, Map<number, { onHand: number; available: number }>>();
  for (const m of ordered) {
    const shards = latest.get(m.locationId) ?? new Map();
    if (!shards.has(m.shard)) shards.set(m.shard, { onHand: m.before.onHand, available: m.before.available });
    latest.set(m.locationId, shards);
  }
  return ordered.map((m) => {
    const shards = latest.get(m.locationId)!;
    shards.set(m.shard, { onHand: m.after.onHand, available: m.after.available });
    let onHand = 0;
    let available = 0;
    for (const s of shards.values()) {
      onHand += s.onHand;
      available += s.available;
    }
    return { at: m.occurredAt, locationId: m.locationId, onHand, available };
  });
}

/**
 * Stock holds its number until the next movement: each change is drawn as a step (the old number
 * up to the moment, the new one from it), and the last number runs on to `until` (now).
 */
function steps(points: readonly StockPoint[], value: (p: StockPoint) => number, until: Date | undefined) {
  const data: { x: Date; y: number }[] = [];
  for (const p of points) {
    const x = new Date(p.at);
    const previous = data.at(-1);
    if (previous) data.push({ x, y: previous.y });
    data.push({ x, y: value(p) });
  }
  const last = data.at(-1);
  if (last && until && until > last.x) data.push({ x: until, y: last.y });
  return data;
}

async function newestMovements(
  sku: string,
  signal: AbortSignal,
): Promise<{ items: Movement[]; capped: boolean }> {
  const items: Movement[] = [];
  let cursor: string | undefined;
  do {
    const page = await endpoints.ledger(
      sku,
      { order: 'desc', limit: PAGE, ...(cursor ? { cursor } : {}) },
      signal,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < HISTORY_LIMIT);
  return { items, capped: Boolean(cursor) };
}

const ALL = '';

/** On hand and available over time, per location, drawn from the SKU's ledger. */
export function StockChart(props: { sku: string; refreshKey: number }) {
  const user = useUser();
  const [mySite] = useMySite(user.username);
  const history = useResource(`history:${props.sku}:${props.refreshKey}`, (signal) =>
    newestMovements(props.sku, signal),
  );
  const points = stockHistory(history.data?.items ?? []);
  const locations = [...new Set(points.map((p) => p.locationId))].sort();
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const location = picked ?? (mySite && locations.includes(mySite) ? mySite : ALL);
  const shown = points.filter((p) => location === ALL || p.locationId === location);
  // Fixed per load, so hovering (a re-render) does not move the chart's right edge.
  const until = useMemo(() => (history.data ? new Date() : undefined), [history.data]);
  const series = (location === ALL ? locations : [location]).flatMap((loc) => {
    const mine = shown.filter((p) => p.locationId === loc);
    return [
      { title: `${loc} on hand`, type: 'line' as const, data: steps(mine, (p) => p.onHand, until) },
      { title: `${loc} available`, type: 'line' as const, data: steps(mine, (p) => p.available, until) },
    ];
  });
  const options = [
    { value: ALL, label: 'All locations' },
    ...locations.map((l) => ({ value: l, label: l, ...(l === mySite ? { tags: ['My site'] } : {}) })),
  ];

  return (
    <Container
      data-testid="stock-chart"
      header={
        <Header
          description={`On hand and available after each movement${history.data?.capped ? ` (the newest ${formatNumber(HISTORY_LIMIT)} movements)` : ''}.`}
          actions={
            <Select
              selectedOption={options.find((o) => o.value === location) ?? options[0]!}
              onChange={({ detail }) => setPicked(detail.selectedOption.value ?? ALL)}
              options={options}
              ariaLabel="Chart location"
            />
          }
        >
          Stock over time
        </Header>
      }
    >
      {history.error ? (
        <ApiErrorAlert error={history.error} onRetry={history.reload} what="load the stock history" />
      ) : (
        <SpaceBetween size="m">
          <LineChart
            series={series}
            xScaleType="time"
            height={260}
            xTitle="Time"
            yTitle="Units"
            hideFilter
            statusType={history.loading && !history.data ? 'loading' : 'finished'}
            loadingText="Loading the ledger"
            ariaLabel={`Stock over time of ${props.sku}`}
            empty={<EmptyState title="No movements yet" />}
            i18nStrings={{
              xTickFormatter: (x) => formatDateTime(x.toISOString()),
              yTickFormatter: (y) => formatNumber(y),
            }}
          />
          {shown.length > 0 && (
            <ExpandableSection headerText={`Data (${shown.length} points)`} variant="footer">
              <Table<StockPoint & { n: number }>
                data-testid="stock-chart-points"
                variant="embedded"
                items={shown.map((p, n) => ({ ...p, n }))}
                trackBy="n"
                columnDefinitions={[
                  { id: 'at', header: 'When', cell: (p) => formatDateTime(p.at), isRowHeader: true },
                  { id: 'location', header: 'Location', cell: (p) => p.locationId },
                  { id: 'onHand', header: 'On hand', cell: (p) => formatNumber(p.onHand) },
                  { id: 'available', header: 'Available', cell: (p) => formatNumber(p.available) },
                ]}
              />
            </ExpandableSection>
          )}
        </SpaceBetween>
      )}
    </Container>
  );
}
