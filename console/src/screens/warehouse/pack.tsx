import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { ApiError } from '../../api/client.ts';
import { packEndpoints } from '../../api/pack-endpoints.ts';
import type { Fulfillment, FulfillmentLine, PackageBody } from '../../api/types.ts';
import { can, isDeclared } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useMySite } from '../../app/preferences.ts';
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
  Spinner,
  Status,
} from '../../components/plain.tsx';
import { useQueryParams } from '../../components/query-params.ts';
import { ScanField, ScanMessage, ScanPanel, useScanOutcome } from './scan-field.tsx';
import { useLoaded } from './use-loaded.ts';
import { useSite } from './use-site.ts';

const PACK_SCAN = 'POST /api/fulfillments/{id}/pack-scans';
const LIST_CARRIERS = 'GET /api/carriers';

// Local, not components/format.tsx: that module carries Cloudscape into the handheld's first load.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const formatDateTime = (iso: string | undefined) => (iso ? dateTime.format(new Date(iso)) : '—');

/**
 * The pack station, in the handheld frame (plain elements, like the pick screen): take a picked
 * order (scan its fulfillment id or choose it), scan every unit into the parcel (the API refuses a
 * unit the order does not have or has enough of), enter the parcels, then ship with a carrier
 * service and tracking number.
 */
export default function Pack() {
  usePage('Pack station', [
    { text: 'Warehouse', href: '/warehouse' },
    { text: 'Pack station', href: '/warehouse/pack' },
  ]);
  const user = useUser();
  const [params, change] = useQueryParams();
  const fulfillmentId = params.get('fulfillment');
  // A pushed entry: Back closes the order the packer opened.
  const open = (id: string | undefined) => change({ fulfillment: id }, { push: true });
  return (
    <div className="qm-stack">
      <PageHeader
        title="Pack station"
        description="Scan each unit into the parcel, weigh and measure it, ship it."
      />
      {!isDeclared(PACK_SCAN) ? (
        <PlainNotAvailable route={PACK_SCAN} />
      ) : !can(user.roles, PACK_SCAN) ? (
        <PlainNoAccess roles={user.roles} what="Packing" />
      ) : fulfillmentId ? (
        <PackFulfillment key={fulfillmentId} fulfillmentId={fulfillmentId} onDone={() => open(undefined)} />
      ) : (
        <PackQueue onOpen={open} />
      )}
    </div>
  );
}

/** Picked orders at the location waiting for a packer; or scan the id on the tote. */
function PackQueue(props: { onOpen: (fulfillmentId: string) => void }) {
  const user = useUser();
  const [mySite] = useMySite(user.username);
  const [site, setSite] = useSite();
  const locations = useLoaded('locations', packEndpoints.locations);
  const picked = useLoaded(site ? `picked:${site}` : null, (signal) =>
    packEndpoints.picked(site as string, signal),
  );
  return (
    <div className="qm-stack">
      <Section title="Scan a fulfillment">
        <ScanField
          keepFocus
          yieldToControls
          onScan={props.onOpen}
          placeholder="Scan or type the fulfillment id on the tote"
          ariaLabel="Fulfillment id"
          testId="fulfillment-input"
        />
      </Section>
      <Section
        title={`Picked, waiting to pack${picked.data ? ` (${picked.data.length})` : ''}`}
        actions={<PlainButton onClick={picked.reload}>Refresh</PlainButton>}
      >
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
                {l.locationId === mySite ? ' · my site' : ''}
              </option>
            ))}
          </select>
        </Field>
        <div data-testid="picked-table">
          {!site ? (
            <p className="qm-muted">Choose a location.</p>
          ) : picked.error ? (
            <PlainApiError error={picked.error} onRetry={picked.reload} what="load the picked orders" />
          ) : !picked.data ? (
            <Spinner label="Loading picked orders" />
          ) : picked.data.length === 0 ? (
            <p className="qm-muted">Nothing to pack: no picked orders at {site}.</p>
          ) : (
            <table className="qm-table">
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Service level</th>
                  <th scope="col">Units</th>
                  <th scope="col">Cutoff</th>
                  <th scope="col">
                    <span className="qm-visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {picked.data.map((f) => (
                  <tr key={f.fulfillmentId}>
                    <th scope="row">{f.externalId || f.orderId}</th>
                    <td>{f.serviceLevel}</td>
                    <td>{f.lines.reduce((n, l) => n + l.quantity, 0)}</td>
                    <td>{formatDateTime(f.cutoffAt)}</td>
                    <td>
                      <PlainButton
                        onClick={() => props.onOpen(f.fulfillmentId)}
                        testId={`pack-${f.fulfillmentId}`}
                      >
                        Pack
                      </PlainButton>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </Section>
    </div>
  );
}

const lineDone = (l: FulfillmentLine) => l.packed >= l.quantity;

function refusal(code: string, scanned: string): string | undefined {
  switch (code) {
    case 'WRONG_ITEM':
      return `Wrong item: ${scanned} is not on this order`;
    case 'EXTRA_UNIT':
      return `Extra unit: every ${scanned} of this order is already packed`;
    case 'NOT_PICKED':
      return 'This order is not picked yet';
    default:
      return undefined;
  }
}

function PackFulfillment(props: { fulfillmentId: string; onDone: () => void }) {
  const loaded = useLoaded(`fulfillment:${props.fulfillmentId}`, (signal) =>
    packEndpoints.get(props.fulfillmentId, signal),
  );
  const [current, setCurrent] = useState<Fulfillment | undefined>();
  const f = current ?? loaded.data;
  const { last, show } = useScanOutcome();
  const queue = useRef<Promise<void>>(Promise.resolve());

  if (loaded.error) {
    return (
      <div className="qm-stack">
        <PlainApiError error={loaded.error} onRetry={loaded.reload} what={`open ${props.fulfillmentId}`} />
        <div>
          <PlainButton onClick={props.onDone}>Back to the queue</PlainButton>
        </div>
      </div>
    );
  }
  if (!f) return <Spinner label={`Loading ${props.fulfillmentId}`} />;

  const total = f.lines.reduce((n, l) => n + l.quantity, 0);
  const packed = f.lines.reduce((n, l) => n + l.packed, 0);
  const allPacked = f.lines.every(lineDone);
  const scanning = f.status === 'picked';

  const scan = (code: string) => {
    queue.current = queue.current.then(async () => {
      try {
        const next = await packEndpoints.packScan(props.fulfillmentId, code);
        setCurrent(next);
        const line = next.lines.find((l) => l.sku.toUpperCase() === code.toUpperCase());
        show(
          next.lines.every(lineDone) ? 'done' : 'ok',
          line ? `${line.sku}: ${line.packed} of ${line.quantity} packed` : `Packed ${code}`,
        );
      } catch (error) {
        const e = error as ApiError;
        show('error', refusal(e.code, code) ?? e.message, e.code);
      }
    });
  };

  return (
    <div className="qm-stack">
      <Section
        title={
          <>
            Order <Link to={`/orders/${encodeURIComponent(f.orderId)}`}>{f.externalId || f.orderId}</Link>{' '}
            <span data-testid="pack-status">
              <Status type={f.status === 'shipped' ? 'success' : 'info'}>{f.status}</Status>
            </span>
          </>
        }
        description={`Fulfillment ${f.fulfillmentId} · ${f.locationId} · ${f.serviceLevel}`}
        actions={<PlainButton onClick={props.onDone}>Back to the queue</PlainButton>}
      >
        {scanning && (
          <ScanPanel last={last}>
            <div className="qm-stack-s">
              <div data-testid="pack-progress">
                <label className="qm-field">
                  <span className="qm-field-label">Packed</span>
                  <progress className="qm-progress" max={total || 1} value={total ? packed : 1} />
                  <span className="qm-muted">
                    {packed} of {total} units
                  </span>
                </label>
              </div>
              <ScanField
                keepFocus={!allPacked}
                yieldToControls
                onScan={scan}
                placeholder={allPacked ? 'Every unit is packed' : 'Scan each unit'}
                testId="pack-scan-input"
              />
              <ScanMessage last={last} />
            </div>
          </ScanPanel>
        )}
        {!scanning && !['packed', 'shipped'].includes(f.status) && (
          <Notice type="warning" header="Not ready to pack">
            This order is {f.status}: it packs once every unit is picked.
          </Notice>
        )}
        <table className="qm-table" data-testid="pack-lines">
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Kit</th>
              <th scope="col">Quantity</th>
              <th scope="col">Picked</th>
              <th scope="col">Packed</th>
            </tr>
          </thead>
          <tbody>
            {f.lines.map((l) => (
              <tr key={`${l.lineId}:${l.sku}`}>
                <th scope="row">{l.sku}</th>
                <td>{l.kitSku ?? '—'}</td>
                <td>{l.quantity}</td>
                <td>{l.picked}</td>
                <td>
                  <Status type={lineDone(l) ? 'success' : 'pending'}>
                    {l.packed} / {l.quantity}
                  </Status>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      {scanning && <PackagesForm fulfillmentId={f.fulfillmentId} onSaved={setCurrent} />}
      {f.status === 'packed' && <ShipForm fulfillment={f} onShipped={setCurrent} />}
      {f.status === 'shipped' && f.shipment && (
        <Notice type="success" header="Shipped" testId="ship-confirmation">
          <dl className="qm-grid qm-pairs">
            <div>
              <dt>Carrier</dt>
              <dd>
                {f.shipment.carrier} · {f.shipment.service}
              </dd>
            </div>
            <div>
              <dt>Tracking number</dt>
              <dd>{f.shipment.trackingNumber}</dd>
            </div>
            <div>
              <dt>Shipped</dt>
              <dd>
                {formatDateTime(f.shipment.shippedAt)} by {f.shipment.shippedBy}
              </dd>
            </div>
            {f.packages && (
              <div>
                <dt>Parcels</dt>
                <dd>{f.packages.length}</dd>
              </div>
            )}
          </dl>
          <div>
            <PlainButton onClick={props.onDone} variant="primary" testId="pack-next">
              Pack the next order
            </PlainButton>
          </div>
        </Notice>
      )}
    </div>
  );
}

type PackageDraft = Record<keyof PackageBody, string>;
const emptyPackage: PackageDraft = { weightGrams: '', lengthMm: '', widthMm: '', heightMm: '' };
const PACKAGE_FIELDS: { key: keyof PackageBody; label: string }[] = [
  { key: 'weightGrams', label: 'Weight (g)' },
  { key: 'lengthMm', label: 'Length (mm)' },
  { key: 'widthMm', label: 'Width (mm)' },
  { key: 'heightMm', label: 'Height (mm)' },
];

/** Weights and dimensions of each parcel; the API refuses them (PACK_INCOMPLETE) until every unit is scanned. */
function PackagesForm(props: { fulfillmentId: string; onSaved: (f: Fulfillment) => void }) {
  const [drafts, setDrafts] = useState<PackageDraft[]>([emptyPackage]);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const valid = (v: string) => /^\d+$/.test(v) && Number(v) > 0;
  const invalid = drafts.some((d) => PACKAGE_FIELDS.some((p) => !valid(d[p.key])));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (invalid) return;
    setBusy(true);
    setError(null);
    try {
      const packages = drafts.map((d) => ({
        weightGrams: Number(d.weightGrams),
        lengthMm: Number(d.lengthMm),
        widthMm: Number(d.widthMm),
        heightMm: Number(d.heightMm),
      }));
      props.onSaved(await packEndpoints.putPackages(props.fulfillmentId, packages));
    } catch (err) {
      setError(err as ApiError);
    }
    setBusy(false);
  };

  return (
    <form onSubmit={submit} data-testid="packages-form" noValidate>
      <Section
        title="Parcels"
        description="One row per parcel, in grams and millimetres."
        actions={
          <>
            <PlainButton onClick={() => setDrafts((d) => [...d, emptyPackage])}>Add parcel</PlainButton>
            <PlainButton variant="primary" type="submit" loading={busy} testId="save-packages">
              Save parcels
            </PlainButton>
          </>
        }
      >
        {drafts.map((d, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: parcels are rows without ids of their own.
          <div key={i} className="qm-grid qm-parcel">
            {PACKAGE_FIELDS.map((p) => {
              const fieldError = submitted && !valid(d[p.key]) ? 'A positive whole number' : undefined;
              return (
                <Field
                  key={p.key}
                  label={`${p.label}${drafts.length > 1 ? ` · parcel ${i + 1}` : ''}`}
                  error={fieldError}
                  testId={`parcel-${i + 1}-${p.key}`}
                >
                  <input
                    className="qm-input"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    value={d[p.key]}
                    aria-invalid={fieldError ? true : undefined}
                    onChange={(e) =>
                      setDrafts((all) => all.map((x, j) => (j === i ? { ...x, [p.key]: e.target.value } : x)))
                    }
                  />
                </Field>
              );
            })}
            {drafts.length > 1 && (
              <div className="qm-parcel-remove">
                <PlainButton onClick={() => setDrafts((all) => all.filter((_, j) => j !== i))}>
                  Remove parcel {i + 1}
                </PlainButton>
              </div>
            )}
          </div>
        ))}
        {error &&
          (error.code === 'PACK_INCOMPLETE' ? (
            <div data-testid="pack-incomplete">
              <Notice type="error" header="Not every unit is packed">
                <span className="qm-scan-big-message">
                  Scan the remaining units before saving the parcels.
                </span>
              </Notice>
            </div>
          ) : (
            <PlainApiError error={error} what="save the parcels" />
          ))}
      </Section>
    </form>
  );
}

/** Ship: a carrier's service and the tracking number; the answer is the shipment confirmation. */
function ShipForm(props: { fulfillment: Fulfillment; onShipped: (f: Fulfillment) => void }) {
  const { fulfillment: f } = props;
  const carriers = useLoaded(isDeclared(LIST_CARRIERS) ? 'carriers' : null, packEndpoints.carriers);
  const list = carriers.data ?? [];
  const [carrierId, setCarrierId] = useState<string | undefined>(f.carrierId);
  const [service, setService] = useState<string | undefined>(f.serviceCode);
  const [tracking, setTracking] = useState('');
  const [trackingUrl, setTrackingUrl] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const carrier = list.find((c) => c.carrierId === carrierId);
  const services = carrier?.services ?? [];

  // The carrier's only service (or the planned one) is chosen for the packer.
  useEffect(() => {
    if (carrier && !services.some((s) => s.code === service)) setService(services[0]?.code);
  }, [carrier, services, service]);

  const errors = {
    carrier: carrierId ? undefined : 'Choose a carrier',
    service: service ? undefined : 'Choose a service',
    tracking: tracking.trim() ? undefined : 'Required',
    trackingUrl: !trackingUrl || /^https?:\/\//.test(trackingUrl) ? undefined : 'An http(s) address',
  };
  const show = (e: string | undefined) => (submitted ? e : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.values(errors).some(Boolean) || !carrierId || !service) return;
    setBusy(true);
    setError(null);
    try {
      await packEndpoints.ship(f.fulfillmentId, {
        carrier: carrierId,
        service,
        trackingNumber: tracking.trim(),
        ...(trackingUrl ? { trackingUrl } : {}),
      });
      // The confirmation shows the shipment as stored.
      props.onShipped(await packEndpoints.get(f.fulfillmentId));
    } catch (err) {
      setError(err as ApiError);
    }
    setBusy(false);
  };

  return (
    <form onSubmit={submit} data-testid="ship-form" noValidate>
      <Section
        title="Ship"
        description={`${f.packages?.length ?? 0} parcel(s) packed. Ship with the carrier's tracking number.`}
        actions={
          <PlainButton variant="primary" type="submit" loading={busy} testId="ship">
            Ship
          </PlainButton>
        }
      >
        {carriers.error && (
          <PlainApiError error={carriers.error} onRetry={carriers.reload} what="load the carriers" />
        )}
        {carriers.data && list.length === 0 && (
          <Notice type="warning">
            No carriers: <Link to="/settings/carriers">set them up</Link>
          </Notice>
        )}
        <div className="qm-grid">
          <Field label="Carrier" error={show(errors.carrier)}>
            <select
              className="qm-select"
              value={carrierId ?? ''}
              onChange={(e) => setCarrierId(e.target.value || undefined)}
              data-testid="ship-carrier"
            >
              <option value="">{carriers.data ? 'Choose a carrier' : 'Loading carriers…'}</option>
              {carrierId && !carrier && <option value={carrierId}>{carrierId}</option>}
              {list.map((c) => (
                <option key={c.carrierId} value={c.carrierId}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Service" error={show(errors.service)}>
            <select
              className="qm-select"
              value={service ?? ''}
              onChange={(e) => setService(e.target.value || undefined)}
              data-testid="ship-service"
            >
              <option value="">Choose a service</option>
              {service && !services.some((s) => s.code === service) && (
                <option value={service}>{service}</option>
              )}
              {services.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.code} · {s.serviceLevels.join(', ')}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Tracking number" error={show(errors.tracking)} testId="ship-tracking">
            <input className="qm-input" value={tracking} onChange={(e) => setTracking(e.target.value)} />
          </Field>
          <Field label="Tracking link" hint="Optional" error={show(errors.trackingUrl)}>
            <input
              className="qm-input"
              type="url"
              value={trackingUrl}
              onChange={(e) => setTrackingUrl(e.target.value)}
            />
          </Field>
        </div>
        {error && <PlainApiError error={error} what="ship" />}
      </Section>
    </form>
  );
}
