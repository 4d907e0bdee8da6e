import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { isDeclared } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useSession } from '../../app/session.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ComingWith, NotAvailable } from '../../components/states.tsx';

const COMPLETE_PICK = 'POST /api/pick-tasks/{taskId}/complete';

/**
 * The pick screen for a picker's current task. Pick tasks come from the fulfillment workflow
 * (a task token per pick list); until the manifest declares the pick-task route there is nothing
 * to pick, and this says so instead of inventing a list. The scanner interaction itself is in
 * `ScannerPick`.
 */
export default function Pick() {
  usePage('Pick', [
    { text: 'Warehouse', href: '/warehouse' },
    { text: 'Pick', href: '/warehouse/pick' },
  ]);
  const { config } = useSession();
  const harness = config.mode === 'local' && (
    <RouterLink href="/warehouse/pick/harness" data-testid="pick-harness-link">
      Try the scanner with a sample pick list
    </RouterLink>
  );
  return (
    // No ContentLayout: the handheld frame has no app layout for it to extend into.
    <SpaceBetween size="l">
      <Header variant="h1" description="Scan the bin, then each unit. Works with handheld scanners.">
        Pick
      </Header>
      <Container>
        {isDeclared(COMPLETE_PICK) ? (
          <ComingWith
            workflow="the fulfillment workflow (pick tasks are assigned to you here)"
            title="No pick task"
          >
            {harness}
          </ComingWith>
        ) : (
          <NotAvailable route={COMPLETE_PICK}>{harness}</NotAvailable>
        )}
      </Container>
    </SpaceBetween>
  );
}
