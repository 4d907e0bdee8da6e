import { useCollection } from '@cloudscape-design/collection-hooks';
import Badge from '@cloudscape-design/components/badge';
import Header from '@cloudscape-design/components/header';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { endpoints } from '../../api/endpoints.ts';
import type { Location } from '../../api/types.ts';
import { useMySite } from '../../app/preferences.ts';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { formatDateTime } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';

export const TYPE_LABELS: Record<Location['type'], string> = {
  warehouse: 'Warehouse',
  store: 'Store',
  '3pl': '3PL',
};

/** The stocking locations, each opening its detail (definition and stock there). */
export function LocationsList() {
  const user = useUser();
  const [mySite] = useMySite(user.username);
  const list = useResource('locations-list', (signal) => endpoints.listLocations(signal));
  const { items, collectionProps, filterProps, filteredItemsCount } = useCollection(list.data?.items ?? [], {
    filtering: {
      filteringFunction: (l, text) =>
        `${l.locationId} ${l.name}`.toLowerCase().includes(text.trim().toLowerCase()),
      empty: <EmptyState title="No locations" subtitle="An administrator creates them in Settings." />,
      noMatch: <EmptyState title="No matching location" />,
    },
    sorting: { defaultState: { sortingColumn: { sortingField: 'locationId' } } },
  });
  return (
    <Table<Location>
      {...collectionProps}
      data-testid="locations-list"
      variant="container"
      loading={list.loading && !list.data}
      loadingText="Loading locations"
      items={items}
      trackBy="locationId"
      header={<Header counter={list.data ? `(${list.data.items.length})` : undefined}>Locations</Header>}
      filter={
        <TextFilter
          {...filterProps}
          filteringPlaceholder="Filter by id or name"
          countText={`${filteredItemsCount ?? 0} match${filteredItemsCount === 1 ? '' : 'es'}`}
        />
      }
      empty={
        list.error ? (
          <ApiErrorAlert error={list.error} onRetry={list.reload} what="load the locations" />
        ) : undefined
      }
      columnDefinitions={[
        {
          id: 'id',
          header: 'Id',
          cell: (l) => (
            <span className="qm-inline-list">
              <RouterLink href={`/inventory/locations/${encodeURIComponent(l.locationId)}`}>
                {l.locationId}
              </RouterLink>
              {l.locationId === mySite && <Badge color="green">My site</Badge>}
            </span>
          ),
          sortingField: 'locationId',
          isRowHeader: true,
        },
        { id: 'name', header: 'Name', cell: (l) => l.name, sortingField: 'name' },
        { id: 'type', header: 'Type', cell: (l) => TYPE_LABELS[l.type] ?? l.type, sortingField: 'type' },
        { id: 'tz', header: 'Time zone', cell: (l) => l.timezone ?? '—' },
        {
          id: 'updated',
          header: 'Updated',
          cell: (l) => formatDateTime(l.updatedAt),
          sortingField: 'updatedAt',
        },
      ]}
    />
  );
}
