import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Table from '@cloudscape-design/components/table';
import { isDeclared } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { ComingWith, NotAvailable } from '../../components/states.tsx';

const WAVES = 'GET /api/waves';

interface Wave {
  waveId: string;
}

/**
 * Waves by carrier cutoff, priority and zone; served once the fulfillment workflow exists. Until
 * the manifest declares the waves route, the screen says it is not part of this deployment.
 */
export default function Waves() {
  usePage('Waves', [{ text: 'Warehouse', href: '/warehouse' }]);
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Work released to the floor, grouped by carrier cutoff, priority and zone."
        >
          Waves
        </Header>
      }
    >
      <Table<Wave>
        data-testid="waves-table"
        variant="container"
        header={<Header>Waves</Header>}
        items={[]}
        empty={
          isDeclared(WAVES) ? (
            <ComingWith workflow="the fulfillment workflow" />
          ) : (
            <NotAvailable route={WAVES} />
          )
        }
        columnDefinitions={[
          { id: 'wave', header: 'Wave', cell: (w) => w.waveId },
          { id: 'carrier', header: 'Carrier', cell: () => '—' },
          { id: 'cutoff', header: 'Cutoff', cell: () => '—' },
          { id: 'orders', header: 'Orders', cell: () => '—' },
          { id: 'progress', header: 'Picked', cell: () => '—' },
          { id: 'risk', header: 'Cutoff risk', cell: () => '—' },
        ]}
      />
    </ContentLayout>
  );
}
