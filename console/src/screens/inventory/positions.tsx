import { useCollection } from '@cloudscape-design/collection-hooks';
import BarChart from '@cloudscape-design/components/bar-chart';
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import type { ReactNode } from 'react';
import type { PositionView } from '../../api/types.ts';
import { BUCKET_LABELS, ONHAND_PARTS } from '../../app/buckets.ts';
import { formatDateTime, formatNumber } from '../../components/format.tsx';
import { EmptyState } from '../../components/states.tsx';

const NUMBER_COLUMNS = [
  'onHand',
  'reserved',
  'damaged',
  'quarantined',
  'returnedPending',
  'safetyStock',
  'inTransit',
] as const;

/**
 * Every position of the SKU: one row per location, one column per bucket. The API returns all
 * positions of a SKU in one read (one per stocking location), so filtering and sorting happen here.
 */
export function PositionsTable(props: { positions: PositionView[]; loading: boolean; actions?: ReactNode }) {
  const { items, collectionProps, filterProps, paginationProps, filteredItemsCount } = useCollection(
    props.positions,
    {
      filtering: {
        filteringFunction: (p, text) => p.locationId.toLowerCase().includes(text.trim().toLowerCase()),
        empty: (
          <EmptyState
            title="No stock positions"
            subtitle="This SKU has never been stocked. Adjust stock to open a position."
          />
        ),
        noMatch: <EmptyState title="No matching location" />,
      },
      sorting: { defaultState: { sortingColumn: { sortingField: 'locationId' } } },
      pagination: { pageSize: 25 },
    },
  );
  const columns: TableProps.ColumnDefinition<PositionView>[] = [
    {
      id: 'locationId',
      header: 'Location',
      cell: (p) => p.locationId,
      sortingField: 'locationId',
      isRowHeader: true,
    },
    {
      id: 'available',
      header: 'Available',
      cell: (p) => <Box fontWeight="bold">{formatNumber(p.available)}</Box>,
      sortingField: 'available',
    },
    ...NUMBER_COLUMNS.map((b) => ({
      id: b,
      header: BUCKET_LABELS[b],
      cell: (p: PositionView) => formatNumber(p[b]),
      sortingField: b,
    })),
    {
      id: 'updatedAt',
      header: 'Updated',
      cell: (p) => formatDateTime(p.updatedAt),
      sortingField: 'updatedAt',
    },
  ];
  return (
    <Table<PositionView>
      {...collectionProps}
      data-testid="positions-table"
      variant="container"
      stickyColumns={{ first: 1 }}
      wrapLines={false}
      loading={props.loading && props.positions.length === 0}
      loadingText="Loading positions"
      items={items}
      trackBy="locationId"
      columnDefinitions={columns}
      header={
        <Header
          counter={`(${props.positions.length})`}
          description="Units per location and bucket. Available = on hand − reserved − damaged − quarantined − returned pending − safety stock."
          actions={props.actions}
        >
          Positions
        </Header>
      }
      filter={
        <TextFilter
          {...filterProps}
          filteringPlaceholder="Filter by location"
          countText={`${filteredItemsCount ?? 0} match${filteredItemsCount === 1 ? '' : 'es'}`}
        />
      }
      pagination={<Pagination {...paginationProps} />}
    />
  );
}

/** On-hand split into its buckets, stacked per location. */
export function PositionsChart({ positions }: { positions: PositionView[] }) {
  if (positions.length === 0) return null;
  const series = ONHAND_PARTS.map((bucket) => ({
    title: BUCKET_LABELS[bucket],
    type: 'bar' as const,
    data: positions.map((p) => ({ x: p.locationId, y: Math.max(0, p[bucket]) })),
  })).filter((s) => s.data.some((d) => d.y > 0));
  return (
    <Container
      header={
        <Header description="What the on-hand units at each location are held for.">On hand by bucket</Header>
      }
    >
      <SpaceBetween size="s">
        <BarChart
          series={series}
          xScaleType="categorical"
          stackedBars
          horizontalBars={positions.length > 6}
          height={Math.min(360, 80 + positions.length * 28)}
          xTitle="Location"
          yTitle="Units"
          hideFilter
          ariaLabel="On hand by bucket and location"
          empty={<EmptyState title="No units on hand" />}
          i18nStrings={{ xTickFormatter: (x) => String(x), yTickFormatter: (y) => formatNumber(y) }}
        />
      </SpaceBetween>
    </Container>
  );
}
