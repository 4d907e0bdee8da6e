import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { ApiError } from '../../api/client.ts';
import { pickEndpoints } from '../../api/pick-endpoints.ts';
import type { NextPickTask } from '../../api/types.ts';
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
import { ScanField, ScanMessage, ScanPanel, sameCode, useScanOutcome } from './scan-field.tsx';
import { useLoaded } from './use-loaded.ts';
import { withRetries } from './with-retries.ts';

// The short pick dialog is rare: it loads when first opened, not with the screen.
const ShortPickDialog = lazy(() => import('./short-pick-dialog.tsx'));

const NEXT_TASK = 'GET /api/pick-tasks/next';
const LIST_WAVES = 'GET /api/waves';

/**
 * The handheld pick screen: choose a wave, then pick its tasks one at a time as the API hands
 * them out (`GET /api/pick-tasks/next` claims the next one for this associate). Each task: scan
 * the bin label, then each unit; the API checks every scan and records it, so the screen only
 * shows what the API answered.
 */
export default function Pick() {
  usePage('Pick', [
    { text: 'Warehouse', href: '/warehouse' },
    { text: 'Pick', href: '/warehouse/pick' },
  ]);
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const waveId = params.get('wave');
  const choose = useCallback(
    (id: string | undefined) => setParams(id ? { wave: id } : {}, { replace: false }),
    [setParams],
  );
  return (
    <div className="qm-stack">
      <PageHeader title="Pick" description="Scan the bin, then each unit. Works with handheld scanners." />
      {!isDeclared(NEXT_TASK) ? (
        <PlainNotAvailable route={NEXT_TASK} />
      ) : !can(user.roles, NEXT_TASK) ? (
        <PlainNoAccess roles={user.roles} what="Picking" />
      ) : waveId ? (
        <WavePick key={waveId} waveId={waveId} onLeave={() => choose(undefined)} />
      ) : (
        <WaveChooser onChoose={choose} />
      )}
    </div>
  );
}

/** Open waves at my site, as big buttons; or scan a wave's id (printed on its pick sheet). */
function WaveChooser(props: { onChoose: (waveId: string) => void }) {
  const user = useUser();
  const [site, setSite] = useMySite(user.username);
  const locations = useLoaded('locations', pickEndpoints.locations);
  const now = useNow();
  const waves = useLoaded(site && isDeclared(LIST_WAVES) ? `open-waves:${site}` : null, (signal) =>
    pickEndpoints.openWaves(site as string, signal),
  );
  return (
    <div className="qm-stack">
      <Section title="Scan a wave">
        <ScanField
          keepFocus
          onScan={props.onChoose}
          placeholder="Scan or type a wave id"
          ariaLabel="Wave id"
          testId="wave-input"
        />
      </Section>
      <Section title="Open waves" description={site ? `At ${site}, earliest cutoff first` : undefined}>
        <HandheldSiteSelect site={site} onChange={setSite} locations={locations.data} testId="pick-site" />
        {!site ? (
          <p className="qm-muted">Choose your site to see its open waves, or scan a wave id.</p>
        ) : waves.error ? (
          <PlainApiError error={waves.error} what="load the waves" />
        ) : !waves.data ? (
          <Spinner label="Loading the open waves" />
        ) : waves.data?.length ? (
          <ul className="qm-choice-list" data-testid="open-waves">
            {waves.data.map((w) => (
              <li key={w.waveId}>
                <PlainButton
                  onClick={() => props.onChoose(w.waveId)}
                  className="qm-btn-big qm-btn-block"
                  testId={`wave-${w.waveId}`}
                >
                  {w.waveId} · {w.taskCount} tasks
                  {w.cutoffAt ? ` · ${cutoffIn(w.cutoffAt, now)}` : ''}
                </PlainButton>
              </li>
            ))}
          </ul>
        ) : (
          <p className="qm-muted">No open waves at {site}.</p>
        )}
      </Section>
    </div>
  );
}

/** Now, every 30 s: enough for a countdown in whole minutes. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function cutoffIn(cutoffAt: string, now: number): string {
  const minutes = Math.floor((Date.parse(cutoffAt) - now) / 60_000);
  return minutes < 0 ? `cutoff passed ${-minutes} min ago` : `cutoff in ${minutes} min`;
}

/** Refusals the pick API answers (409), in words for the floor. */
function refusal(code: string, scanned: string, task: NextPickTask): string | undefined {
  switch (code) {
    case 'SCAN_BIN_FIRST':
      return `Scan bin ${task.binCode} first`;
    case 'WRONG_BIN':
      return `Wrong bin: ${scanned} is not ${task.binCode}`;
    case 'WRONG_ITEM':
      return `Wrong item: ${scanned} is not ${task.sku}`;
    case 'OVER_PICK':
      return `Too many: only ${task.quantity - task.pickedQuantity} more ${task.sku} needed`;
    default:
      return undefined;
  }
}

type TaskState =
  | { phase: 'loading' }
  | { phase: 'task'; task: NextPickTask; binConfirmed: boolean }
  | { phase: 'done' }
  | { phase: 'error'; error: ApiError };

function WavePick(props: { waveId: string; onLeave: () => void }) {
  const { waveId } = props;
  const [state, setState] = useState<TaskState>({ phase: 'loading' });
  const [shortOpen, setShortOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const { last, show } = useScanOutcome();
  // Scans run one after another in the order scanned: a wedge scanner can fire faster than the API answers.
  const queue = useRef<Promise<void>>(Promise.resolve());
  const current = useRef(state);
  current.current = state;

  const loadNext = useCallback(async () => {
    setState({ phase: 'loading' });
    try {
      const task = await withRetries(() => pickEndpoints.nextTask(waveId));
      setState(task ? { phase: 'task', task, binConfirmed: !!task.binScannedAt } : { phase: 'done' });
      if (!task) show('done', `Wave ${waveId} done`);
    } catch (error) {
      setState({ phase: 'error', error: error as ApiError });
    }
  }, [waveId, show]);

  useEffect(() => {
    void loadNext();
  }, [loadNext]);

  const scan = (code: string) => {
    queue.current = queue.current.then(async () => {
      const s = current.current;
      if (s.phase !== 'task') return;
      const { task } = s;
      const scanId = `scan-${crypto.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`}`;
      try {
        const result = await withRetries(() => pickEndpoints.scan(task.taskId, { code, scanId }));
        const next = { ...task, pickedQuantity: result.pickedQuantity, quantity: result.quantity };
        if (result.status === 'done' || result.pickedQuantity >= result.quantity) {
          show('ok', `${task.sku} complete: ${result.pickedQuantity} of ${result.quantity}`);
          await loadNext();
        } else if (result.pickedQuantity > task.pickedQuantity) {
          show('ok', `${task.sku}: ${result.pickedQuantity} of ${result.quantity}`);
          setState({ phase: 'task', task: next, binConfirmed: true });
        } else if (sameCode(code, task.binCode)) {
          show('ok', `Bin ${task.binCode} confirmed. Scan ${task.sku}.`);
          setState({ phase: 'task', task: next, binConfirmed: true });
        } else {
          show('ok', `Scan accepted: ${code}`);
        }
      } catch (error) {
        const e = error as ApiError;
        show('error', refusal(e.code, code, task) ?? e.message, e.code);
        // Anything but a refused scan (task reclaimed after a timeout, wave cancelled): start again from the next task.
        if (!refusal(e.code, code, task) && e.status !== 0) await loadNext();
      }
    });
  };

  const confirmShort = async (quantityFound: number, reason: string) => {
    const s = current.current;
    if (s.phase !== 'task') return;
    setBusy(true);
    try {
      await withRetries(() => pickEndpoints.short(s.task.taskId, { quantityFound, reason }));
      const missing = s.task.quantity - s.task.pickedQuantity - quantityFound;
      show('ok', `Short recorded: ${missing} × ${s.task.sku} not found in ${s.task.binCode}`);
      setShortOpen(false);
      await loadNext();
    } catch (error) {
      const e = error as ApiError;
      show('error', e.message, e.code);
    }
    setBusy(false);
  };

  const task = state.phase === 'task' ? state.task : undefined;
  const left = task ? task.quantity - task.pickedQuantity : 0;
  return (
    <div className="qm-stack">
      <ScanPanel last={last}>
        <Section
          title={`Wave ${waveId}`}
          description={task ? `Task ${task.taskId}` : undefined}
          actions={<PlainButton onClick={props.onLeave}>Leave wave</PlainButton>}
        >
          {state.phase === 'loading' && <Spinner label="Getting the next task" />}
          {state.phase === 'error' && (
            <PlainApiError error={state.error} onRetry={() => void loadNext()} what="get the next task" />
          )}
          {state.phase === 'done' && (
            <p className="qm-heading" data-testid="wave-done">
              <Status type="success">Wave done: nothing left to pick</Status>
            </p>
          )}
          {task && state.phase === 'task' && (
            <div className="qm-pick-target" data-testid="pick-current" data-task-id={task.taskId}>
              <div
                className={`qm-pick-step${state.binConfirmed ? ' qm-pick-step-done' : ' qm-pick-step-active'}`}
              >
                <small className="qm-muted">1. Go to bin{task.zone ? ` · zone ${task.zone}` : ''}</small>
                <div className="qm-huge" data-testid="pick-bin">
                  {task.binCode}
                </div>
                {task.zone && (
                  <div className="qm-heading" data-testid="pick-zone">
                    Zone {task.zone}
                  </div>
                )}
              </div>
              <div className={`qm-pick-step${state.binConfirmed ? ' qm-pick-step-active' : ''}`}>
                <small className="qm-muted">2. Take</small>
                <div className="qm-huge" data-testid="pick-sku">
                  {task.sku}
                </div>
              </div>
              <div className="qm-pick-step">
                <small className="qm-muted">Left to pick</small>
                <div className="qm-huge" data-testid="pick-left">
                  {left}
                </div>
                <span className="qm-muted" data-testid="pick-progress">
                  {task.pickedQuantity} of {task.quantity} picked
                </span>
              </div>
            </div>
          )}

          <ScanField
            keepFocus={!shortOpen}
            disabled={state.phase === 'done'}
            onScan={scan}
            placeholder={
              state.phase === 'done'
                ? 'Wave done'
                : task
                  ? state.phase === 'task' && state.binConfirmed
                    ? `Scan ${task.sku}`
                    : `Scan bin ${task.binCode}`
                  : 'Loading the next task…'
            }
            onKeyDown={(e) => {
              // F2: short pick without leaving the keyboard (the scan field keeps the focus).
              if (e.key === 'F2' && task) {
                e.preventDefault();
                setShortOpen(true);
              }
            }}
          />
          <ScanMessage last={last} />

          <div className="qm-row">
            {task && (
              <PlainButton
                onClick={() => setShortOpen(true)}
                testId="short-pick"
                aria-label="Short pick (F2)"
                className="qm-btn-big"
              >
                Short (F2)
              </PlainButton>
            )}
            {state.phase === 'done' && (
              <PlainButton
                variant="primary"
                onClick={props.onLeave}
                testId="choose-wave"
                className="qm-btn-big"
              >
                Choose another wave
              </PlainButton>
            )}
          </div>
        </Section>
      </ScanPanel>

      {shortOpen && task && (
        <Suspense fallback={null}>
          <ShortPickDialog
            binCode={task.binCode}
            sku={task.sku}
            left={left}
            busy={busy}
            onConfirm={(n, reason) => void confirmShort(n, reason)}
            onClose={() => setShortOpen(false)}
          />
        </Suspense>
      )}
    </div>
  );
}
