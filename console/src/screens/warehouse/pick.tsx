import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import { usePage } from '../../app/chrome.tsx';
import { useSession } from '../../app/session.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ComingWith } from '../../components/states.tsx';

/**
 * The pick screen for a picker's current task. Pick tasks come from the fulfillment workflow
 * (a task token per pick list); until the API serves them there is nothing to pick, and this
 * says so instead of inventing a list. The scanner interaction itself is in `ScannerPick`.
 */
export default function Pick() {
  usePage('Pick', [
    { text: 'Warehouse', href: '/warehouse' },
    { text: 'Pick', href: '/warehouse/pick' },
  ]);
  const { config } = useSession();
  return (
    <ContentLayout
      header={
        <Header variant="h1" description="Scan the bin, then each unit. Works with handheld scanners.">
          Pick
        </Header>
      }
    >
      <Container>
        <ComingWith
          workflow="the fulfillment workflow (pick tasks are assigned to you here)"
          title="No pick task"
        >
          {config.mode === 'local' && (
            <RouterLink href="/warehouse/pick/harness" data-testid="pick-harness-link">
              Try the scanner with a sample pick list
            </RouterLink>
          )}
        </ComingWith>
      </Container>
    </ContentLayout>
  );
}
