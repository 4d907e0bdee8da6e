import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { Fulfillment, FulfillmentLine, PackageBody } from '../../api/types.ts';
import { can, isDeclared } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { formatDateTime } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, EmptyState, NoAccess, NotAvailable } from '../../components/states.tsx';
import { ScanField, ScanMessage, ScanPanel, useScanOutcome } from './scan-field.tsx';
import { SiteSelect, useSite } from './site-select.tsx';

const PACK_SCAN = 'POST /api/fulfillments/{id}/pack-scans';
const LIST_CARRIERS = 'GET /api/carriers';

/**
 * The pack station: take a picked order (scan its fulfillment id or choose it), scan every unit
 * into the parcel (the API refuses a unit the order does not have or has enough of), enter the
 * parcels, then ship with a carrier service and tracking number.
 */
export default function Pack() {
  usePage('Pack station', [
    { text: 'Warehouse', href: '/warehouse' },
    { text: 'Pack station', href: '/warehouse/pack' },
  ]);
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const fulfillmentId = params.get('fulfillment');
  const open = (id: string | undefined) => {
    const next = new URLSearchParams(params);
    if (id) next.set('fulfillment', id);
    else next.delete('fulfillment');
    setParams(next);
  };
  return (
    <ContentLayout
      header={
        <Header variant="h1" description="Scan each unit into the parcel, weigh and measure it, ship it.">
          Pack station
        </Header>
      }
    >
      {!isDeclared(PACK_SCAN) ? (
        <NotAvailable route={PACK_SCAN} />
      ) : !can(user.roles, PACK_SCAN) ? (
        <NoAccess roles={user.roles} what="Packing" />
      ) : fulfillmentId ? (
        <PackFulfillment key={fulfillmentId} fulfillmentId={fulfillmentId} onDone={() => open(undefined)} />
      ) : (
        <PackQueue onOpen={open} />
      )}
    </ContentLayout>
  );
}

/** Picked orders at the location waiting for a packer; or scan the id on the tote. */
function PackQueue(props: { onOpen: (fulfillmentId: string) => void }) {
  const [site, setSite] = useSite();
  const picked = useResource(site ? `picked:${site}` : null, (signal) =>
    endpoints.listFulfillments({ locationId: site as string, status: 'picked' }, signal),
  );
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Scan a fulfillment</Header>}>
        <ScanField
          keepFocus
          yieldToControls
          onScan={props.onOpen}
          placeholder="Scan or type the fulfillment id on the tote"
          ariaLabel="Fulfillment id"
          testId="fulfillment-input"
        />
      </Container>
      <div style={{ maxWidth: 360 }}>
        <SiteSelect value={site} onChange={setSite} />
      </div>
      <Table<Fulfillment>
        data-testid="picked-table"
        variant="container"
        loading={picked.loading && !picked.data}
        loadingText="Loading picked orders"
        items={picked.data?.items ?? []}
        trackBy="fulfillmentId"
        header={
          <Header
            counter={picked.data ? `(${picked.data.items.length})` : undefined}
            actions={<Button iconName="refresh" ariaLabel="Refresh" onClick={picked.reload} />}
          >
            Picked, waiting to pack
          </Header>
        }
        empty={
          !site ? (
            <EmptyState title="Choose a location" />
          ) : picked.error ? (
            <ApiErrorAlert error={picked.error} onRetry={picked.reload} what="load the picked orders" />
          ) : (
            <EmptyState title="Nothing to pack" subtitle={`No picked orders at ${site}.`} />
          )
        }
        columnDefinitions={[
          {
            id: 'order',
            header: 'Order',
            cell: (f) => f.externalId || f.orderId,
            isRowHeader: true,
          },
          { id: 'service', header: 'Service level', cell: (f) => f.serviceLevel },
          { id: 'units', header: 'Units', cell: (f) => f.lines.reduce((n, l) => n + l.quantity, 0) },
          { id: 'cutoff', header: 'Cutoff', cell: (f) => formatDateTime(f.cutoffAt) },
          {
            id: 'pack',
            header: '',
            cell: (f) => (
              <Button onClick={() => props.onOpen(f.fulfillmentId)} data-testid={`pack-${f.fulfillmentId}`}>
                Pack
              </Button>
            ),
          },
        ]}
      />
    </SpaceBetween>
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
  const loaded = useResource(`fulfillment:${props.fulfillmentId}`, (signal) =>
    endpoints.getFulfillment(props.fulfillmentId, signal),
  );
  const [current, setCurrent] = useState<Fulfillment | undefined>();
  const f = current ?? loaded.data;
  const { last, show } = useScanOutcome();
  const queue = useRef<Promise<void>>(Promise.resolve());

  if (loaded.error) {
    return (
      <SpaceBetween size="l">
        <ApiErrorAlert error={loaded.error} onRetry={loaded.reload} what={`open ${props.fulfillmentId}`} />
        <Button onClick={props.onDone}>Back to the queue</Button>
      </SpaceBetween>
    );
  }
  if (!f) return <StatusIndicator type="loading">Loading {props.fulfillmentId}</StatusIndicator>;

  const total = f.lines.reduce((n, l) => n + l.quantity, 0);
  const packed = f.lines.reduce((n, l) => n + l.packed, 0);
  const allPacked = f.lines.every(lineDone);
  const scanning = f.status === 'picked';

  const scan = (code: string) => {
    queue.current = queue.current.then(async () => {
      try {
        const next = await endpoints.packScan(props.fulfillmentId, code);
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
    <SpaceBetween size="l">
      <Container
        header={
          <Header
            variant="h2"
            description={`Fulfillment ${f.fulfillmentId} · ${f.locationId} · ${f.serviceLevel}`}
            actions={<Button onClick={props.onDone}>Back to the queue</Button>}
          >
            Order{' '}
            <RouterLink href={`/orders/${encodeURIComponent(f.orderId)}`} fontSize="heading-m">
              {f.externalId || f.orderId}
            </RouterLink>{' '}
            <span data-testid="pack-status">
              <StatusIndicator type={f.status === 'shipped' ? 'success' : 'info'}>{f.status}</StatusIndicator>
            </span>
          </Header>
        }
      >
        <SpaceBetween size="m">
          {scanning && (
            <ScanPanel last={last}>
              <SpaceBetween size="s">
                <ProgressBar
                  value={total ? (packed / total) * 100 : 100}
                  label="Packed"
                  description={`${packed} of ${total} units`}
                  data-testid="pack-progress"
                />
                <ScanField
                  keepFocus={!allPacked}
                  yieldToControls
                  onScan={scan}
                  placeholder={allPacked ? 'Every unit is packed' : 'Scan each unit'}
                  testId="pack-scan-input"
                />
                <ScanMessage last={last} />
              </SpaceBetween>
            </ScanPanel>
          )}
          {!scanning && !['packed', 'shipped'].includes(f.status) && (
            <Alert type="warning" header="Not ready to pack">
              This order is {f.status}: it packs once every unit is picked.
            </Alert>
          )}
          <Table<FulfillmentLine>
            data-testid="pack-lines"
            variant="embedded"
            items={f.lines}
            trackBy={(l) => `${l.lineId}:${l.sku}`}
            columnDefinitions={[
              { id: 'sku', header: 'SKU', cell: (l) => l.sku, isRowHeader: true },
              { id: 'kit', header: 'Kit', cell: (l) => l.kitSku ?? '—' },
              { id: 'quantity', header: 'Quantity', cell: (l) => l.quantity },
              { id: 'picked', header: 'Picked', cell: (l) => l.picked },
              {
                id: 'packed',
                header: 'Packed',
                cell: (l) => (
                  <StatusIndicator type={lineDone(l) ? 'success' : 'pending'}>
                    {l.packed} / {l.quantity}
                  </StatusIndicator>
                ),
              },
            ]}
          />
        </SpaceBetween>
      </Container>

      {scanning && <PackagesForm fulfillmentId={f.fulfillmentId} onSaved={setCurrent} />}
      {f.status === 'packed' && <ShipForm fulfillment={f} onShipped={setCurrent} />}
      {f.status === 'shipped' && f.shipment && (
        <Alert type="success" header="Shipped" data-testid="ship-confirmation">
          <SpaceBetween size="s">
            <KeyValuePairs
              columns={3}
              items={[
                { label: 'Carrier', value: `${f.shipment.carrier} · ${f.shipment.service}` },
                { label: 'Tracking number', value: f.shipment.trackingNumber },
                {
                  label: 'Shipped',
                  value: `${formatDateTime(f.shipment.shippedAt)} by ${f.shipment.shippedBy}`,
                },
                ...(f.packages ? [{ label: 'Parcels', value: String(f.packages.length) }] : []),
              ]}
            />
            <Button onClick={props.onDone} variant="primary" data-testid="pack-next">
              Pack the next order
            </Button>
          </SpaceBetween>
        </Alert>
      )}
    </SpaceBetween>
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
      props.onSaved(await endpoints.putPackages(props.fulfillmentId, packages));
    } catch (err) {
      setError(err as ApiError);
    }
    setBusy(false);
  };

  return (
    <form onSubmit={submit} data-testid="packages-form">
      <Container
        header={
          <Header
            variant="h2"
            description="One row per parcel, in grams and millimetres."
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button formAction="none" onClick={() => setDrafts((d) => [...d, emptyPackage])}>
                  Add parcel
                </Button>
                <Button variant="primary" formAction="submit" loading={busy} data-testid="save-packages">
                  Save parcels
                </Button>
              </SpaceBetween>
            }
          >
            Parcels
          </Header>
        }
      >
        <SpaceBetween size="m">
          {drafts.map((d, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: parcels are rows without ids of their own.
            <ColumnLayout key={i} columns={5}>
              {PACKAGE_FIELDS.map((p) => (
                <FormField
                  key={p.key}
                  label={`${p.label}${drafts.length > 1 ? ` · parcel ${i + 1}` : ''}`}
                  errorText={submitted && !valid(d[p.key]) ? 'A positive whole number' : undefined}
                >
                  <Input
                    type="number"
                    inputMode="numeric"
                    value={d[p.key]}
                    onChange={({ detail }) =>
                      setDrafts((all) => all.map((x, j) => (j === i ? { ...x, [p.key]: detail.value } : x)))
                    }
                    data-testid={`parcel-${i + 1}-${p.key}`}
                  />
                </FormField>
              ))}
              {drafts.length > 1 && (
                <Box padding={{ top: 'l' }}>
                  <Button formAction="none" onClick={() => setDrafts((all) => all.filter((_, j) => j !== i))}>
                    Remove
                  </Button>
                </Box>
              )}
            </ColumnLayout>
          ))}
          {error &&
            (error.code === 'PACK_INCOMPLETE' ? (
              <div data-testid="pack-incomplete">
                <Alert type="error" header="Not every unit is packed">
                  <span className="qm-scan-big-message">
                    Scan the remaining units before saving the parcels.
                  </span>
                </Alert>
              </div>
            ) : (
              <ApiErrorAlert error={error} what="save the parcels" />
            ))}
        </SpaceBetween>
      </Container>
    </form>
  );
}

/** Ship: a carrier's service and the tracking number; the answer is the shipment confirmation. */
function ShipForm(props: { fulfillment: Fulfillment; onShipped: (f: Fulfillment) => void }) {
  const { fulfillment: f } = props;
  const carriers = useResource(isDeclared(LIST_CARRIERS) ? 'carriers' : null, (signal) =>
    endpoints.listCarriers(signal),
  );
  const list = carriers.data?.items ?? [];
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
      await endpoints.ship(f.fulfillmentId, {
        carrier: carrierId,
        service,
        trackingNumber: tracking.trim(),
        ...(trackingUrl ? { trackingUrl } : {}),
      });
      // The confirmation shows the shipment as stored.
      props.onShipped(await endpoints.getFulfillment(f.fulfillmentId));
    } catch (err) {
      setError(err as ApiError);
    }
    setBusy(false);
  };

  return (
    <form onSubmit={submit} data-testid="ship-form">
      <Container
        header={
          <Header
            variant="h2"
            description={`${f.packages?.length ?? 0} parcel(s) packed. Ship with the carrier's tracking number.`}
            actions={
              <Button variant="primary" formAction="submit" loading={busy} data-testid="ship">
                Ship
              </Button>
            }
          >
            Ship
          </Header>
        }
      >
        <SpaceBetween size="m">
          {carriers.error && (
            <ApiErrorAlert error={carriers.error} onRetry={carriers.reload} what="load the carriers" />
          )}
          <ColumnLayout columns={2}>
            <FormField label="Carrier" errorText={show(errors.carrier)}>
              <Select
                selectedOption={carrier ? { value: carrier.carrierId, label: carrier.name } : null}
                onChange={({ detail }) => setCarrierId(detail.selectedOption.value)}
                options={list.map((c) => ({ value: c.carrierId, label: c.name, description: c.carrierId }))}
                statusType={carriers.loading ? 'loading' : 'finished'}
                placeholder="Choose a carrier"
                empty={
                  <Box>
                    No carriers: <RouterLink href="/settings/carriers">set them up</RouterLink>
                  </Box>
                }
                data-testid="ship-carrier"
              />
            </FormField>
            <FormField label="Service" errorText={show(errors.service)}>
              <Select
                selectedOption={service ? { value: service, label: service } : null}
                onChange={({ detail }) => setService(detail.selectedOption.value)}
                options={services.map((s) => ({
                  value: s.code,
                  label: s.code,
                  description: s.serviceLevels.join(', '),
                }))}
                placeholder="Choose a service"
                data-testid="ship-service"
              />
            </FormField>
            <FormField label="Tracking number" errorText={show(errors.tracking)}>
              <Input
                value={tracking}
                onChange={({ detail }) => setTracking(detail.value)}
                data-testid="ship-tracking"
              />
            </FormField>
            <FormField label="Tracking link" constraintText="Optional" errorText={show(errors.trackingUrl)}>
              <Input value={trackingUrl} onChange={({ detail }) => setTrackingUrl(detail.value)} type="url" />
            </FormField>
          </ColumnLayout>
          {error && <ApiErrorAlert error={error} what="ship" />}
        </SpaceBetween>
      </Container>
    </form>
  );
}
