import Header from '@cloudscape-design/components/header';
import Table from '@cloudscape-design/components/table';
import { endpoints } from '../../api/endpoints.ts';
import type { Supplier } from '../../api/types.ts';
import { usePage } from '../../app/chrome.tsx';
import { useResource } from '../../app/use-resource.ts';
import { formatDateTime } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';

/** Every supplier with its terms; each links to its purchase orders. */
export default function Suppliers() {
  usePage('Suppliers', [
    { text: 'Purchase orders', href: '/purchasing' },
    { text: 'Suppliers', href: '/purchasing/suppliers' },
  ]);
  const suppliers = useResource('suppliers', (signal) => endpoints.listSuppliers(signal));
  const items = suppliers.data?.items ?? [];
  return (
    <Table<Supplier>
      data-testid="suppliers-table"
      variant="full-page"
      loading={suppliers.loading}
      loadingText="Loading suppliers"
      items={items}
      trackBy="supplierId"
      header={
        <Header variant="awsui-h1-sticky" counter={suppliers.data ? `(${items.length})` : undefined}>
          Suppliers
        </Header>
      }
      empty={
        suppliers.error ? (
          <ApiErrorAlert error={suppliers.error} onRetry={suppliers.reload} what="load suppliers" />
        ) : (
          <EmptyState
            title="No suppliers"
            subtitle="Suppliers are added through PUT /api/suppliers/{supplierId}."
          />
        )
      }
      columnDefinitions={[
        { id: 'id', header: 'Supplier', isRowHeader: true, cell: (s) => s.supplierId },
        { id: 'name', header: 'Name', cell: (s) => s.name },
        { id: 'lead', header: 'Lead time', cell: (s) => `${s.leadTimeDays} days` },
        { id: 'currency', header: 'Currency', cell: (s) => s.currency },
        { id: 'moq', header: 'MOQ', cell: (s) => s.moq ?? '—' },
        { id: 'case', header: 'Case pack', cell: (s) => s.casePack ?? '—' },
        { id: 'updated', header: 'Updated', cell: (s) => `${formatDateTime(s.updatedAt)} by ${s.updatedBy}` },
        {
          id: 'pos',
          header: 'Purchase orders',
          cell: (s) => (
            <RouterLink href={`/purchasing?supplierId=${encodeURIComponent(s.supplierId)}`}>
              Open POs
            </RouterLink>
          ),
        },
      ]}
    />
  );
}
