import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { countEndpoints } from '../../api/count-endpoints.ts';
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

const LIST_TASKS = 'GET /api/count-tasks';
const SUBMIT = 'POST /api/count-tasks/{taskId}/submit';

/**
 * The handheld cycle-count screen: choose (or scan) a bin with an open count task, scan the bin
 * label, then every unit found in it; type a quantity for a full case. The count is blind: the API
 * never tells this screen what the system expects in the bin, so nothing here can show it.
 */
export default function Count() {
  usePage('Count', [
    { text: 'Warehouse', href: '/warehouse' },
    { text: 'Count', href: '/warehouse/count' },
  ]);
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const taskId = params.get('task');
  const choose = useCallback(
    (id: string | undefined) => setParams(id ? { task: id } : {}, { replace: false }),
    [setParams],
  );
  return (
    <div className="qm-stack">
      <PageHeader
        title="Count"
        description="Scan the bin, then every unit in it. Works with handheld scanners."
      />
      {!isDeclared(LIST_TASKS) ? (
        <PlainNotAvailable route={LIST_TASKS} />
      ) : !can(user.roles, SUBMIT) ? (
        <PlainNoAccess roles={user.roles} what="Counting" />
      ) : taskId ? (
        <CountBin key={taskId} taskId={taskId} onLeave={() => choose(undefined)} />
      ) : (
        <TaskChooser onChoose={choose} />
      )}
    </div>
  );
}

/** Open count tasks at my site in walk order, as big buttons; or scan a bin label to open its task. */
function TaskChooser(props: { onChoose: (taskId: string) => void }) {
  const user = useUser();
  const [site, setSite] = useMySite(user.username);
  const locations = useLoaded('locations', countEndpoints.locations);
  const tasks = useLoaded(site ? `count-tasks:${site}` : null, (signal) =>
    countEndpoints.openTasks(site as string, signal),
  );
  const { last, show } = useScanOutcome();
  const scanBin = (code: string) => {
    if (!tasks.data) {
      show(
        'error',
        site ? 'Still loading the bins to count: scan again' : 'Choose your site first',
        'NOT_READY',
      );
      return;
    }
    const task = tasks.data.find((t) => sameCode(code, t.binCode ?? t.binId) || sameCode(code, t.binId));
    if (task) props.onChoose(task.taskId);
    else show('error', `No open count for bin ${code}`, 'NO_COUNT_TASK');
  };
  return (
    <div className="qm-stack">
      <ScanPanel last={last}>
        <Section title="Scan a bin">
          <ScanField
            keepFocus
            onScan={scanBin}
            placeholder={site ? 'Scan a bin label' : 'Choose your site first'}
            ariaLabel="Bin label"
            testId="count-bin-input"
          />
          <ScanMessage last={last} />
        </Section>
      </ScanPanel>
      <Section title="Bins to count" description={site ? `At ${site}, in walk order` : undefined}>
        <HandheldSiteSelect site={site} onChange={setSite} locations={locations.data} testId="count-site" />
        {!site ? (
          <p className="qm-muted">Choose your site to see the bins waiting for a count.</p>
        ) : tasks.error ? (
          <PlainApiError error={tasks.error} onRetry={tasks.reload} what="load the count tasks" />
        ) : !tasks.data ? (
          <Spinner label="Loading the count tasks" />
        ) : tasks.data.length ? (
          <ul className="qm-choice-list" data-testid="count-tasks">
            {tasks.data.map((t) => (
              <li key={t.taskId}>
                <PlainButton
                  onClick={() => props.onChoose(t.taskId)}
                  className="qm-btn-big qm-btn-block"
                  testId={`count-task-${t.binId}`}
                >
                  Bin {t.binCode ?? t.binId}
                  {t.zone ? ` · zone ${t.zone}` : ''}
                  {t.origin === 'short_pick' ? ' · after a short pick' : ''}
                </PlainButton>
              </li>
            ))}
          </ul>
        ) : (
          <p className="qm-muted">Nothing to count at {site}.</p>
        )}
      </Section>
    </div>
  );
}

/** A submit lost on the network is sent again: the API answers a repeat of the same counts the same. */
async function withRetries<T>(send: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const transient = error instanceof ApiError && (error.status === 0 || error.status >= 500);
      if (!transient || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 400 * attempt));
    }
  }
}

type Counts = { sku: string; quantity: number }[];

function CountBin(props: { taskId: string; onLeave: () => void }) {
  const task = useLoaded(`count-task:${props.taskId}`, (signal) => countEndpoints.task(props.taskId, signal));
  const [binConfirmed, setBinConfirmed] = useState(false);
  const [counts, setCounts] = useState<Counts>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const { last, show } = useScanOutcome();
  // Scans are resolved one after another in the order scanned (a wedge scanner is faster than the API).
  const queue = useRef<Promise<void>>(Promise.resolve());
  const confirmed = useRef(binConfirmed);
  confirmed.current = binConfirmed;

  const t = task.data;
  const label = t ? (t.binCode ?? t.binId) : '';
  useEffect(() => {
    if (t?.status === 'submitted') setSubmitted(true);
  }, [t?.status]);

  const add = (sku: string, quantity: number) =>
    setCounts((list) =>
      list.some((c) => c.sku === sku)
        ? list.map((c) => (c.sku === sku ? { sku, quantity: c.quantity + quantity } : c))
        : [...list, { sku, quantity }],
    );

  const scan = (code: string) => {
    queue.current = queue.current.then(async () => {
      if (!t) return;
      if (!confirmed.current) {
        if (sameCode(code, label) || sameCode(code, t.binId)) {
          setBinConfirmed(true);
          show('ok', `Bin ${label} confirmed. Scan every unit in it.`);
        } else show('error', `Scan bin ${label} first`, 'SCAN_BIN_FIRST');
        return;
      }
      if (sameCode(code, label)) {
        show('ok', `Bin ${label} is the bin being counted`);
        return;
      }
      try {
        const sku = await countEndpoints.skuFor(code);
        if (!sku) {
          show('error', `Unknown item: ${code}`, 'UNKNOWN_SKU');
          return;
        }
        add(sku, 1);
        show('ok', `${sku} +1`);
      } catch (e) {
        const err = e as ApiError;
        show('error', err.message, err.code);
      }
    });
  };

  const setQuantity = (sku: string, text: string) => {
    const n = Number(text);
    if (!/^\d+$/.test(text)) return;
    setCounts((list) => list.map((c) => (c.sku === sku ? { sku, quantity: n } : c)));
  };

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await withRetries(() => countEndpoints.submit(props.taskId, counts));
      setSubmitted(true);
      show('done', `Count of bin ${label} submitted`);
    } catch (e) {
      setError(e as ApiError);
    }
    setBusy(false);
  };

  if (task.error)
    return <PlainApiError error={task.error} onRetry={task.reload} what="load the count task" />;
  if (!t) return <Spinner label="Loading the count task" />;
  return (
    <div className="qm-stack">
      <ScanPanel last={last}>
        <Section
          title={`Count bin ${label}`}
          description={t.zone ? `Zone ${t.zone}` : undefined}
          actions={<PlainButton onClick={props.onLeave}>Back to the list</PlainButton>}
          testId="count-bin"
        >
          {submitted ? (
            <div className="qm-stack">
              <p className="qm-heading" data-testid="count-submitted">
                <Status type="success">Count submitted</Status>
              </p>
              <PlainButton
                variant="primary"
                className="qm-btn-big"
                onClick={props.onLeave}
                testId="next-count"
              >
                Count another bin
              </PlainButton>
            </div>
          ) : (
            <>
              <div className="qm-pick-target">
                <div
                  className={`qm-pick-step${binConfirmed ? ' qm-pick-step-done' : ' qm-pick-step-active'}`}
                >
                  <small className="qm-muted">1. Go to bin</small>
                  <div className="qm-huge" data-testid="count-bin-label">
                    {label}
                  </div>
                </div>
                <div className={`qm-pick-step${binConfirmed ? ' qm-pick-step-active' : ''}`}>
                  <small className="qm-muted">2. Scan every unit you find</small>
                  <div className="qm-huge" data-testid="count-units">
                    {counts.reduce((n, c) => n + c.quantity, 0)}
                  </div>
                  <span className="qm-muted">units counted</span>
                </div>
              </div>
              <ScanField
                keepFocus
                yieldToControls
                onScan={scan}
                placeholder={binConfirmed ? 'Scan a unit' : `Scan bin ${label}`}
                ariaLabel="Scan field"
                testId="count-scan-input"
              />
              <ScanMessage last={last} />
              {counts.length > 0 && (
                <table className="qm-table" data-testid="count-lines">
                  <thead>
                    <tr>
                      <th>SKU</th>
                      <th>Counted</th>
                    </tr>
                  </thead>
                  <tbody>
                    {counts.map((c) => (
                      <tr key={c.sku}>
                        <td>{c.sku}</td>
                        <td>
                          <input
                            className="qm-input"
                            inputMode="numeric"
                            aria-label={`Units of ${c.sku}`}
                            value={String(c.quantity)}
                            onChange={(e) => setQuantity(c.sku, e.target.value)}
                            data-testid={`count-qty-${c.sku}`}
                          />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {error && <PlainApiError error={error} what="submit the count" />}
              <div className="qm-row">
                <PlainButton
                  variant="primary"
                  className="qm-btn-big"
                  disabled={!binConfirmed}
                  loading={busy}
                  onClick={() => void submit()}
                  testId="submit-count"
                >
                  {counts.length ? 'Submit count' : 'Submit: bin is empty'}
                </PlainButton>
              </div>
            </>
          )}
        </Section>
      </ScanPanel>
    </div>
  );
}
