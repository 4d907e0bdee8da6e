import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Table from '@cloudscape-design/components/table';
import { usePage } from '../../app/chrome.tsx';
import { ComingWith } from '../../components/states.tsx';

interface Wave {
  waveId: string;
}

/** Waves by carrier cutoff, priority and zone; served once the fulfillment workflow exists. */
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
        empty={<ComingWith workflow="the fulfillment workflow" />}
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
