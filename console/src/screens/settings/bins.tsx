import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Toggle from '@cloudscape-design/components/toggle';
import { type FormEvent, useState } from 'react';
import type { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { BinType, BinView, FulfillmentSettings, PutBinBody } from '../../api/types.ts';
import { can, isDeclared } from '../../app/access.ts';
import { CODE_PATTERN } from '../../app/ids.ts';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { ApiErrorAlert, EmptyState, NotAvailable } from '../../components/states.tsx';
import { SiteSelect } from '../warehouse/site-select.tsx';
import { useSite } from '../warehouse/use-site.ts';

const LIST_BINS = 'GET /api/locations/{id}/bins';
const PUT_BIN = 'PUT /api/locations/{id}/bins/{binId}';
const GET_SETTINGS = 'GET /api/fulfillment-settings/{locationId}';
const PUT_SETTINGS = 'PUT /api/fulfillment-settings/{locationId}';

const BIN_TYPES: { value: BinType; label: string }[] = [
  { value: 'pick', label: 'Pick face' },
  { value: 'bulk', label: 'Bulk (overstock)' },
  { value: 'receiving', label: 'Receiving' },
  { value: 'staging', label: 'Staging (picked, waiting to ship)' },
];

/** A location's bins (with what each holds) and its fulfillment settings (waves, pick rate, claims). */
export function BinsTab() {
  const [site, setSite] = useSite();
  return (
    <SpaceBetween size="l">
      <div style={{ maxWidth: 360 }}>
        <SiteSelect value={site} onChange={setSite} />
      </div>
      {!site ? (
        <EmptyState title="Choose a location" subtitle="Its bins and fulfillment settings show here." />
      ) : (
        <>
          <Bins key={`bins:${site}`} locationId={site} />
          <FulfillmentSettingsForm key={`settings:${site}`} locationId={site} />
        </>
      )}
    </SpaceBetween>
  );
}

function Bins({ locationId }: { locationId: string }) {
  const user = useUser();
  const canEdit = can(user.roles, PUT_BIN);
  const bins = useResource(isDeclared(LIST_BINS) ? `bins:${locationId}` : null, (signal) =>
    endpoints.listBins(locationId, signal),
  );
  const [editing, setEditing] = useState<BinView | 'new' | null>(null);
  if (!isDeclared(LIST_BINS)) return <NotAvailable route={[LIST_BINS, PUT_BIN]} />;
  const items = bins.data?.items ?? [];
  return (
    <SpaceBetween size="l">
      <Table<BinView>
        data-testid="bins-table"
        variant="container"
        loading={bins.loading && !bins.data}
        loadingText="Loading bins"
        items={items}
        trackBy="binId"
        header={
          <Header
            counter={bins.data ? `(${items.length})` : undefined}
            description="Pick paths follow zone, then walk order. RECEIVING and STAGING always exist."
            actions={
              canEdit && (
                <Button onClick={() => setEditing('new')} data-testid="add-bin">
                  Add bin
                </Button>
              )
            }
          >
            Bins at {locationId}
          </Header>
        }
        empty={
          bins.error ? (
            <ApiErrorAlert error={bins.error} onRetry={bins.reload} what="load the bins" />
          ) : (
            <EmptyState title="No bins" />
          )
        }
        columnDefinitions={[
          { id: 'bin', header: 'Bin', cell: (b) => b.binId, isRowHeader: true },
          { id: 'type', header: 'Type', cell: (b) => b.type },
          { id: 'zone', header: 'Zone', cell: (b) => b.zone || '—' },
          { id: 'walk', header: 'Walk order', cell: (b) => b.walkOrder },
          { id: 'capacity', header: 'Capacity', cell: (b) => b.capacity ?? '—' },
          { id: 'barcode', header: 'Label', cell: (b) => b.barcode ?? b.binId },
          {
            id: 'contents',
            header: 'Holds',
            cell: (b) =>
              b.contents.length === 0 ? '—' : b.contents.map((c) => `${c.sku} × ${c.quantity}`).join(', '),
          },
          ...(canEdit
            ? [
                {
                  id: 'edit',
                  header: '',
                  cell: (b: BinView) => (
                    <Button variant="inline-link" onClick={() => setEditing(b)} ariaLabel={`Edit ${b.binId}`}>
                      Edit
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <BinForm
          key={editing === 'new' ? 'new' : editing.binId}
          locationId={locationId}
          bin={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            bins.reload();
          }}
        />
      )}
    </SpaceBetween>
  );
}

function BinForm(props: {
  locationId: string;
  bin: BinView | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { notify } = useNotifications();
  const [binId, setBinId] = useState(props.bin?.binId ?? '');
  const [type, setType] = useState<BinType>(props.bin?.type ?? 'pick');
  const [zone, setZone] = useState(props.bin?.zone ?? '');
  const [walkOrder, setWalkOrder] = useState(String(props.bin?.walkOrder ?? ''));
  const [capacity, setCapacity] = useState(
    props.bin?.capacity === undefined ? '' : String(props.bin.capacity),
  );
  const [barcode, setBarcode] = useState(props.bin?.barcode ?? '');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const errors = {
    binId: !binId ? 'Required' : CODE_PATTERN.test(binId) ? undefined : 'Letters, digits, ".", "_" or "-"',
    walkOrder: /^\d+$/.test(walkOrder) ? undefined : 'A whole number: lower is walked first',
    capacity: !capacity || /^\d+$/.test(capacity) ? undefined : 'A whole number of units',
  };
  const show = (e: string | undefined) => (submitted ? e : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.values(errors).some(Boolean)) return;
    setBusy(true);
    setError(null);
    const body: PutBinBody = {
      type,
      zone: zone.trim(),
      walkOrder: Number(walkOrder),
      ...(capacity ? { capacity: Number(capacity) } : {}),
      ...(barcode.trim() ? { barcode: barcode.trim() } : {}),
    };
    try {
      await endpoints.putBin(props.locationId, binId, body);
      notify({ type: 'success', header: `Bin ${binId} saved at ${props.locationId}` });
      props.onSaved();
    } catch (err) {
      setError(err as ApiError);
    }
    setBusy(false);
  };

  return (
    <form onSubmit={submit} data-testid="bin-form">
      <Form
        header={
          <Header variant="h2">
            {props.bin ? `Edit bin ${props.bin.binId}` : `Add a bin at ${props.locationId}`}
          </Header>
        }
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button formAction="none" variant="link" onClick={props.onClose}>
              Cancel
            </Button>
            <Button variant="primary" formAction="submit" loading={busy} data-testid="save-bin">
              Save bin
            </Button>
          </SpaceBetween>
        }
      >
        <Container>
          <SpaceBetween size="m">
            <ColumnLayout columns={3}>
              <FormField label="Bin id" errorText={show(errors.binId)} constraintText="Cannot change later">
                <Input
                  value={binId}
                  disabled={!!props.bin}
                  onChange={({ detail }) => setBinId(detail.value.trim())}
                  placeholder="A-01-1"
                  data-testid="bin-id"
                />
              </FormField>
              <FormField label="Type">
                <Select
                  selectedOption={BIN_TYPES.find((t) => t.value === type) ?? null}
                  onChange={({ detail }) => setType(detail.selectedOption.value as BinType)}
                  options={BIN_TYPES}
                />
              </FormField>
              <FormField label="Zone" constraintText="Optional">
                <Input
                  value={zone}
                  onChange={({ detail }) => setZone(detail.value)}
                  placeholder="A"
                  data-testid="bin-zone"
                />
              </FormField>
              <FormField label="Walk order" errorText={show(errors.walkOrder)}>
                <Input
                  type="number"
                  value={walkOrder}
                  onChange={({ detail }) => setWalkOrder(detail.value)}
                  data-testid="bin-walk-order"
                />
              </FormField>
              <FormField label="Capacity (units)" constraintText="Optional" errorText={show(errors.capacity)}>
                <Input type="number" value={capacity} onChange={({ detail }) => setCapacity(detail.value)} />
              </FormField>
              <FormField label="Label barcode" constraintText="Optional; the bin id is scanned otherwise">
                <Input value={barcode} onChange={({ detail }) => setBarcode(detail.value)} />
              </FormField>
            </ColumnLayout>
            {error && <ApiErrorAlert error={error} what="save the bin" />}
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
}

type SettingsDraft = Record<Exclude<keyof FulfillmentSettings, 'autoWave'>, string>;

function FulfillmentSettingsForm({ locationId }: { locationId: string }) {
  const user = useUser();
  const { notify } = useNotifications();
  const canEdit = can(user.roles, PUT_SETTINGS);
  const loaded = useResource(
    isDeclared(GET_SETTINGS) ? `fulfillment-settings:${locationId}` : null,
    (signal) => endpoints.getFulfillmentSettings(locationId, signal),
  );
  const [autoWave, setAutoWave] = useState<boolean | undefined>();
  const [draft, setDraft] = useState<Partial<SettingsDraft>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  if (!isDeclared(GET_SETTINGS)) return <NotAvailable route={GET_SETTINGS} />;
  const s = loaded.data;
  const value = (k: keyof SettingsDraft) => draft[k] ?? (s ? String(s[k]) : '');
  const positive = (v: string) => /^\d+(\.\d+)?$/.test(v) && Number(v) > 0;
  const fields: { key: keyof SettingsDraft; label: string; hint: string }[] = [
    { key: 'maxOrdersPerWave', label: 'Orders per wave (at most)', hint: 'Default 50' },
    {
      key: 'claimTimeoutSeconds',
      label: 'Pick task claim timeout (s)',
      hint: 'An untouched task goes back to the pool',
    },
    {
      key: 'unitsPerMinute',
      label: 'Pick rate (units per minute)',
      hint: 'Replaced by the measured rate once 20 units were picked here',
    },
  ];
  const invalid = fields.some((f) => !positive(value(f.key)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (invalid) return;
    setBusy(true);
    setError(null);
    try {
      await endpoints.putFulfillmentSettings(locationId, {
        autoWave: autoWave ?? s?.autoWave ?? false,
        maxOrdersPerWave: Number(value('maxOrdersPerWave')),
        claimTimeoutSeconds: Number(value('claimTimeoutSeconds')),
        unitsPerMinute: Number(value('unitsPerMinute')),
      });
      notify({ type: 'success', header: `Fulfillment settings of ${locationId} saved` });
      setDraft({});
      setAutoWave(undefined);
      loaded.reload();
    } catch (err) {
      setError(err as ApiError);
    }
    setBusy(false);
  };

  return (
    <form onSubmit={submit} data-testid="fulfillment-settings-form">
      <Form
        header={
          <Header variant="h2" description="How waves are planned and picked at this location.">
            Waves and picking at {locationId}
          </Header>
        }
        actions={
          canEdit && (
            <Button variant="primary" formAction="submit" loading={busy} disabled={!s || invalid}>
              Save settings
            </Button>
          )
        }
      >
        <Container>
          <SpaceBetween size="m">
            {loaded.error && (
              <ApiErrorAlert error={loaded.error} onRetry={loaded.reload} what="load the settings" />
            )}
            <Toggle
              checked={autoWave ?? s?.autoWave ?? false}
              disabled={!canEdit || !s}
              onChange={({ detail }) => setAutoWave(detail.checked)}
            >
              Plan waves automatically (every 5 minutes)
            </Toggle>
            <ColumnLayout columns={3}>
              {fields.map((f) => (
                <FormField
                  key={f.key}
                  label={f.label}
                  constraintText={f.hint}
                  errorText={s && !positive(value(f.key)) ? 'A positive number' : undefined}
                >
                  <Input
                    type="number"
                    value={value(f.key)}
                    disabled={!canEdit || !s}
                    onChange={({ detail }) => setDraft((d) => ({ ...d, [f.key]: detail.value }))}
                  />
                </FormField>
              ))}
            </ColumnLayout>
            {error && <ApiErrorAlert error={error} what="save the settings" />}
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
}
