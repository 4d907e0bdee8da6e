import { useCollection } from '@cloudscape-design/collection-hooks';
import Badge from '@cloudscape-design/components/badge';
import Box from '@cloudscape-design/components/box';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Pagination from '@cloudscape-design/components/pagination';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import { endpoints } from '../../api/endpoints.ts';
import type { BrowseRow } from '../../api/types.ts';
import { useMySite } from '../../app/preferences.ts';
import { useUser } from '../../app/session.tsx';
import { useCursorList } from '../../app/use-resource.ts';
import { formatNumber } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { useLocations } from '../../components/my-site.tsx';
import { useQueryParams } from '../../components/query-params.ts';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';

type Filter = 'all' | 'low' | 'zero' | 'negative';
const FILTERS: { id: Filter; text: string }[] = [
  { id: 'all', text: 'All' },
  { id: 'low', text: 'Low stock' },
  { id: 'zero', text: 'Out of stock' },
  { id: 'negative', text: 'Negative available' },
];
/** The API's default (`DEFAULT_LOW_AT`); shown so people know what "low" means. */
const DEFAULT_LOW_AT = 10;
const ALL_LOCATIONS = 'all';

/** What a row can sell: a kit what its components build, any other SKU its available. */
const sellable = (r: BrowseRow) => r.buildable ?? r.totalAvailable;

/**
 * Every SKU with its stock, a page at a time from `GET /api/inventory`: all locations or one
 * (my site by default), filtered to low, out-of-stock or negative-available SKUs. The API pages
 * in SKU order; the loaded page sorts by any column here.
 */
export function StockBrowse(props: { fixedLocation?: string }) {
  const user = useUser();
  const [mySite] = useMySite(user.username);
  const locations = useLocations();
  const [params, set] = useQueryParams();
  const rawFilter = params.get('filter');
  const filter: Filter = FILTERS.some((f) => f.id === rawFilter) ? (rawFilter as Filter) : 'all';
  const lowAtParam = params.get('lowAt') ?? '';
  const lowAt = /^\d+$/.test(lowAtParam) ? Number(lowAtParam) : undefined;
  const chosen = params.get('location');
  const location = props.fixedLocation ?? (chosen === ALL_LOCATIONS ? undefined : (chosen ?? mySite));

  const key = `browse:${location ?? ''}:${filter}:${filter === 'low' ? (lowAt ?? '') : ''}`;
  const list = useCursorList<BrowseRow>(key, (cursor, signal) =>
    endpoints.browseStock(
      {
        ...(location ? { locationId: location } : {}),
        ...(filter !== 'all' ? { filter } : {}),
        ...(filter === 'low' && lowAt !== undefined ? { lowAt } : {}),
        limit: 50,
        ...(cursor ? { cursor } : {}),
      },
      signal,
    ),
  );
  const { items, collectionProps } = useCollection(list.items, {
    sorting: { defaultState: { sortingColumn: { sortingField: 'sku' } } },
  });

  const locationOptions = [
    { value: ALL_LOCATIONS, label: 'All locations' },
    ...locations.map((l) => ({
      value: l.locationId,
      label: l.locationId,
      description: `${l.name}${l.locationId === mySite ? ' · my site' : ''}`,
    })),
  ];
  const columns: TableProps.ColumnDefinition<BrowseRow>[] = [
    {
      id: 'sku',
      header: 'SKU',
      cell: (r) => <RouterLink href={`/inventory/${encodeURIComponent(r.sku)}`}>{r.sku}</RouterLink>,
      sortingField: 'sku',
      isRowHeader: true,
    },
    { id: 'name', header: 'Name', cell: (r) => r.name, sortingField: 'name' },
    { id: 'type', header: 'Type', cell: (r) => (r.kit ? <Badge color="blue">Kit</Badge> : 'Item') },
    {
      id: 'available',
      header: 'Available',
      cell: (r) => (
        <Box fontWeight="bold" color={sellable(r) < 0 ? 'text-status-error' : 'inherit'}>
          {formatNumber(sellable(r))}
          {r.buildable !== undefined ? ' buildable' : ''}
        </Box>
      ),
      sortingComparator: (a, b) => sellable(a) - sellable(b),
    },
    {
      id: 'onHand',
      header: 'On hand',
      cell: (r) => formatNumber(r.totalOnHand),
      sortingField: 'totalOnHand',
    },
    {
      id: 'locations',
      header: location ? 'At this location' : 'By location',
      cell: (r) =>
        r.locations.length === 0
          ? '—'
          : r.locations
              .map(
                (l) =>
                  `${l.locationId} ${formatNumber(l.buildable ?? l.available)}${l.available < 0 ? ' (negative)' : ''}`,
              )
              .join(' · '),
    },
  ];

  return (
    <Table<BrowseRow>
      {...collectionProps}
      data-testid="stock-browse"
      variant="container"
      loading={list.loading && list.items.length === 0}
      loadingText="Loading stock"
      items={items}
      trackBy="sku"
      columnDefinitions={columns}
      header={
        <Header
          counter={list.data ? `(${list.items.length}${list.data.nextCursor ? '+' : ''})` : undefined}
          description={
            filter === 'low'
              ? `SKUs with 1 to ${formatNumber((list.data as { lowAt?: number } | undefined)?.lowAt ?? lowAt ?? DEFAULT_LOW_AT)} units available (kits: buildable).`
              : 'Every SKU in the catalog with its stock; kits show what their components can build.'
          }
        >
          {props.fixedLocation ? `Stock at ${props.fixedLocation}` : 'Stock'}
        </Header>
      }
      filter={
        <SpaceBetween direction="horizontal" size="xs" alignItems="end">
          {!props.fixedLocation && (
            <FormField label="Location">
              <Select
                selectedOption={
                  locationOptions.find((o) => o.value === (location ?? ALL_LOCATIONS)) ??
                  (location ? { value: location, label: location } : locationOptions[0]!)
                }
                onChange={({ detail }) => set({ location: detail.selectedOption.value })}
                options={locationOptions}
                ariaLabel="Location"
                data-testid="browse-location"
              />
            </FormField>
          )}
          <FormField label="Show">
            <SegmentedControl
              selectedId={filter}
              onChange={({ detail }) =>
                set({ filter: detail.selectedId === 'all' ? undefined : detail.selectedId })
              }
              options={FILTERS}
              label="Stock filter"
              data-testid="browse-filter"
            />
          </FormField>
          {filter === 'low' && (
            <FormField label="Low at or below">
              <Input
                type="number"
                inputMode="numeric"
                value={lowAtParam}
                placeholder={String(DEFAULT_LOW_AT)}
                onChange={({ detail }) => set({ lowAt: detail.value.trim() })}
                ariaLabel="Low at or below"
              />
            </FormField>
          )}
        </SpaceBetween>
      }
      pagination={<Pagination {...list.pagination} />}
      empty={
        list.error ? (
          <ApiErrorAlert error={list.error} onRetry={list.reload} what="load the stock" />
        ) : (
          <EmptyState
            title={filter === 'all' ? 'No SKUs' : 'Nothing matches'}
            subtitle={
              list.data?.nextCursor
                ? 'None on this stretch of the catalog; the next page looks further.'
                : filter === 'all'
                  ? 'The catalog has no SKUs with stock here yet.'
                  : 'No SKU matches this filter.'
            }
          />
        )
      }
    />
  );
}
