import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import { isDeclared } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { ComingWith, NotAvailable } from '../../components/states.tsx';

const COMPLETE_PACK = 'POST /api/pack-tasks/{taskId}/complete';

/** Pack verification: scan each item of a picked order into its carton; completes the pack task. */
export default function Pack() {
  usePage('Pack station', [
    { text: 'Warehouse', href: '/warehouse' },
    { text: 'Pack station', href: '/warehouse/pack' },
  ]);
  return (
    <ContentLayout
      header={
        <Header variant="h1" description="Scan a tote, verify each item, print the label.">
          Pack station
        </Header>
      }
    >
      <Container>
        {isDeclared(COMPLETE_PACK) ? (
          <ComingWith
            workflow="the fulfillment workflow (pack tasks with scan verification)"
            title="No pack task"
          />
        ) : (
          <NotAvailable route={COMPLETE_PACK} />
        )}
      </Container>
    </ContentLayout>
  );
}
