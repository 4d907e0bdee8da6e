import { useState } from 'react';
import type { ApiError } from '../../api/client.ts';
import { dockEndpoints } from '../../api/dock-endpoints.ts';
import type { ReturnView } from '../../api/types.ts';
import { can, isDeclared } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useUser } from '../../app/session.tsx';
import {
  Field,
  Notice,
  PageHeader,
  PlainApiError,
  PlainButton,
  PlainNoAccess,
  PlainNotAvailable,
  Section,
  Status,
} from '../../components/plain.tsx';
import { ScanField, ScanMessage, ScanPanel, sameCode, useScanOutcome } from '../warehouse/scan-field.tsx';
import { useLoaded } from '../warehouse/use-loaded.ts';
import { useSite } from '../warehouse/use-site.ts';

const RECEIVE = 'POST /api/returns/{id}/receipts';

/**
 * The dock's return receiving, in the handheld frame: scan the RMA code on the parcel, then every
 * unit in it (SKU code or barcode), then finish. Units the RMA does not authorise are counted too
 * and shown as unexpected: the receipt records them and they wait for inspection like the rest.
 */
export default function Dock() {
  usePage('Receive returns', [
    { text: 'Returns', href: '/returns' },
    { text: 'Dock receiving', href: '/returns/dock' },
  ]);
  const user = useUser();
  const [ret, setRet] = useState<ReturnView | null>(null);
  return (
    <div className="qm-stack">
      <PageHeader title="Receive returns" description="Scan the RMA, then every unit in the parcel." />
      {!isDeclared(RECEIVE) ? (
        <PlainNotAvailable route={RECEIVE} />
      ) : !can(user.roles, RECEIVE) ? (
        <PlainNoAccess roles={user.roles} what="Receiving returns" />
      ) : ret ? (
        <CountParcel key={ret.returnId} ret={ret} onDone={() => setRet(null)} />
      ) : (
        <ScanRma onFound={setRet} />
      )}
    </div>
  );
}

function ScanRma(props: { onFound: (r: ReturnView) => void }) {
  const { last, show } = useScanOutcome();
  const [error, setError] = useState<ApiError | null>(null);
  const open = async (code: string) => {
    setError(null);
    try {
      const r = await dockEndpoints.getReturn(code);
      if (r.status !== 'approved') {
        show(
          'error',
          `Return ${r.returnId} is ${r.status.replace('_', ' ')}: it is not awaiting a parcel`,
          'RETURN_NOT_APPROVED',
        );
        return;
      }
      show('ok', `Return ${r.returnId}`);
      props.onFound(r);
    } catch (e) {
      const err = e as ApiError;
      if (err.status === 404 && !err.notAvailable) show('error', `No return ${code}`, 'NOT_FOUND');
      else setError(err);
    }
  };
  return (
    <Section title="Scan the RMA">
      <ScanPanel last={last}>
        <ScanField
          keepFocus
          onScan={open}
          placeholder="Scan the RMA code on the parcel"
          ariaLabel="RMA code"
          testId="rma-input"
        />
        <ScanMessage last={last} />
      </ScanPanel>
      {error && <PlainApiError error={error} what="find the return" />}
    </Section>
  );
}

function CountParcel(props: { ret: ReturnView; onDone: () => void }) {
  const { ret } = props;
  const [site, setSite] = useSite();
  const locations = useLoaded('locations', dockEndpoints.locations);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<ReturnView | null>(null);
  const { last, show } = useScanOutcome();
  const authorised = ret.lines.filter((l) => l.quantity > 0);

  const scan = async (code: string) => {
    let sku = authorised.find((l) => sameCode(l.sku, code))?.sku;
    if (!sku) {
      try {
        sku = (await dockEndpoints.skuOfBarcode(code)) ?? code;
      } catch {
        sku = code;
      }
    }
    const n = (counts[sku] ?? 0) + 1;
    setCounts((c) => ({ ...c, [sku]: n }));
    const expected = authorised.find((l) => l.sku === sku)?.quantity ?? 0;
    if (n > expected)
      show(
        'error',
        `${sku}: not on the RMA${expected ? ` beyond ${expected}` : ''} — counted as unexpected`,
        'UNEXPECTED',
      );
    else show('ok', `${sku}: ${n} of ${expected}`);
  };
  const finish = async () => {
    if (!site) return;
    setBusy(true);
    setError(null);
    try {
      const lines = Object.entries(counts)
        .filter(([, q]) => q > 0)
        .map(([sku, quantity]) => ({ sku, quantity }));
      setDone(await dockEndpoints.receive(ret.returnId, { locationId: site, lines }));
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const skus = [...new Set([...authorised.map((l) => l.sku), ...Object.keys(counts)])];
  const total = Object.values(counts).reduce((s, n) => s + n, 0);

  if (done) {
    return (
      <Section title={`Return ${done.returnId} received`}>
        <Notice type="success" header="Units are in returns pending inspection" testId="dock-done">
          {done.unexpected.length > 0
            ? `Unexpected: ${done.unexpected.map((u) => `${u.quantity} × ${u.sku}`).join(', ')}`
            : 'Everything was on the RMA.'}
        </Notice>
        <PlainButton variant="primary" onClick={props.onDone} testId="dock-next">
          Next parcel
        </PlainButton>
      </Section>
    );
  }
  return (
    <div className="qm-stack">
      <Section title={`Return ${ret.returnId} · order ${ret.orderId}`}>
        <Field label="Location">
          <select
            className="qm-select qm-native-select"
            value={site ?? ''}
            onChange={(e) => e.target.value && setSite(e.target.value)}
            data-testid="site-select"
          >
            <option value="">Choose a location…</option>
            {site && !locations.data?.some((l) => l.locationId === site) && (
              <option value={site}>{site}</option>
            )}
            {(locations.data ?? []).map((l) => (
              <option key={l.locationId} value={l.locationId}>
                {l.locationId} · {l.name}
              </option>
            ))}
          </select>
        </Field>
        <ScanPanel last={last}>
          <ScanField
            keepFocus
            yieldToControls
            onScan={scan}
            placeholder="Scan each unit"
            ariaLabel="Unit"
            testId="unit-input"
          />
          <ScanMessage last={last} />
        </ScanPanel>
        <table className="qm-table" data-testid="dock-lines">
          <thead>
            <tr>
              <th>SKU</th>
              <th>On the RMA</th>
              <th>Scanned</th>
            </tr>
          </thead>
          <tbody>
            {skus.map((sku) => {
              const expected = authorised.find((l) => l.sku === sku)?.quantity ?? 0;
              const n = counts[sku] ?? 0;
              return (
                <tr key={sku}>
                  <td>{sku}</td>
                  <td>{expected}</td>
                  <td>
                    <Status type={n > expected ? 'error' : n === expected ? 'success' : 'pending'}>
                      {n}
                      {n > expected ? ' (unexpected)' : ''}
                    </Status>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Section>
      {error && <PlainApiError error={error} what="record the receipt" />}
      <div className="qm-row">
        <PlainButton onClick={props.onDone}>Cancel</PlainButton>
        <PlainButton
          variant="primary"
          loading={busy}
          disabled={!site || total === 0}
          onClick={finish}
          testId="dock-finish"
        >
          Finish receipt ({total} units)
        </PlainButton>
      </div>
    </div>
  );
}
