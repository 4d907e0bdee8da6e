import { useRef, useState } from 'react';
import type { ApiError } from '../../api/client.ts';
import { inboundFloorEndpoints, type PutawayTaskItem } from '../../api/inbound-floor-endpoints.ts';
import { can, isDeclared } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useMySite } from '../../app/preferences.ts';
import { useUser } from '../../app/session.tsx';
import {
  PageHeader,
  PlainApiError,
  PlainButton,
  PlainNoAccess,
  PlainNotAvailable,
  Section,
  Spinner,
  Status,
} from '../../components/plain.tsx';
import { HandheldSiteSelect } from './handheld-site-select.tsx';
import { ScanField, ScanMessage, ScanPanel, useScanOutcome } from './scan-field.tsx';
import { useLoaded } from './use-loaded.ts';
import { withRetries } from './with-retries.ts';

const CONFIRM = 'POST /api/putaway-tasks/{taskId}/confirm';

/**
 * The handheld putaway screen: the open tasks of my site, oldest first; the first is shown big
 * with its suggested bin. Take the units from RECEIVING to the bin and scan the bin's label (the
 * suggested one or another with room); the API refuses a bin they would overflow.
 */
export default function Putaway() {
  usePage('Put away', [
    { text: 'Warehouse', href: '/warehouse' },
    { text: 'Put away', href: '/warehouse/putaway' },
  ]);
  const user = useUser();
  const [site, setSite] = useMySite(user.username);
  const locations = useLoaded('locations', inboundFloorEndpoints.locations);
  return (
    <div className="qm-stack">
      <PageHeader title="Put away" description="Take the units to the bin and scan its label." />
      {!isDeclared(CONFIRM) ? (
        <PlainNotAvailable route={CONFIRM} />
      ) : !can(user.roles, CONFIRM) ? (
        <PlainNoAccess roles={user.roles} what="Putaway" />
      ) : (
        <>
          <HandheldSiteSelect
            site={site}
            onChange={setSite}
            locations={locations.data}
            testId="putaway-site"
          />
          {site ? (
            <Tasks key={site} site={site} />
          ) : (
            <p className="qm-muted">Choose your site to see its putaway work.</p>
          )}
        </>
      )}
    </div>
  );
}

/** Refusals of a confirm (409), in words for the floor. */
function refusal(e: ApiError, code: string, task: PutawayTaskItem): string {
  switch (e.code) {
    case 'BIN_FULL':
      return `Bin ${code} is full: ${task.quantity} × ${task.sku} do not fit. Scan another bin.`;
    case 'BIN_BUSY':
      return `Bin ${code} is being filled by someone else right now. Scan it again in a moment.`;
    case 'UNKNOWN_BIN':
      return `No bin here has the code ${code}`;
    case 'NOT_A_STORAGE_BIN':
      return `${code} is not a storage bin`;
    default:
      return e.message;
  }
}

const minutes = (seconds: number) =>
  seconds < 90
    ? `${seconds} s`
    : seconds < 5400
      ? `${Math.round(seconds / 60)} min`
      : `${(seconds / 3600).toFixed(1)} h`;

function Tasks(props: { site: string }) {
  const tasks = useLoaded(`putaway:${props.site}`, (signal) =>
    inboundFloorEndpoints.putawayTasks(props.site, signal),
  );
  const [done, setDone] = useState<Set<string>>(new Set());
  const { last, show } = useScanOutcome();
  const queue = useRef<Promise<void>>(Promise.resolve());
  const open = (tasks.data ?? []).filter((t) => !done.has(t.taskId));
  const task = open[0];
  const current = useRef(task);
  current.current = task;

  const scan = (code: string) => {
    queue.current = queue.current.then(async () => {
      const t = current.current;
      if (!t) return;
      try {
        const out = await withRetries(() => inboundFloorEndpoints.confirm(t.taskId, code));
        setDone((d) => new Set(d).add(t.taskId));
        show(
          'ok',
          `${t.quantity} × ${t.sku} in ${out.binId}${out.dockToStockSeconds === undefined ? '' : ` · dock to stock ${minutes(out.dockToStockSeconds)}`}`,
        );
      } catch (error) {
        const e = error as ApiError;
        show('error', refusal(e, code, t), e.code);
      }
    });
  };

  return (
    <ScanPanel last={last}>
      <Section
        title={`Putaway at ${props.site}`}
        description={tasks.data ? `${open.length} task(s) open` : undefined}
        actions={<PlainButton onClick={tasks.reload}>Refresh</PlainButton>}
      >
        {tasks.error ? (
          <PlainApiError error={tasks.error} onRetry={tasks.reload} what="load the putaway tasks" />
        ) : !tasks.data ? (
          <Spinner label="Loading the putaway tasks" />
        ) : !task ? (
          <p className="qm-heading" data-testid="putaway-done">
            <Status type="success">Nothing left to put away</Status>
          </p>
        ) : (
          <div className="qm-pick-target" data-testid="putaway-current" data-task-id={task.taskId}>
            <div className="qm-pick-step qm-pick-step-done">
              <small className="qm-muted">1. Take from RECEIVING</small>
              <div className="qm-huge" data-testid="putaway-sku">
                {task.quantity} × {task.sku}
              </div>
            </div>
            <div className="qm-pick-step qm-pick-step-active">
              <small className="qm-muted">2. Put into bin</small>
              <div className="qm-huge" data-testid="putaway-bin">
                {task.suggestedBinId ?? 'any bin with room'}
              </div>
            </div>
          </div>
        )}
        <ScanField
          keepFocus
          disabled={!task}
          onScan={scan}
          placeholder={task ? `Scan bin ${task.suggestedBinId ?? ''}`.trim() : 'Nothing to put away'}
          ariaLabel="Bin label"
        />
        <ScanMessage last={last} />
      </Section>
    </ScanPanel>
  );
}
