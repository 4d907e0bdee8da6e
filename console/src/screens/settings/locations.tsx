import Autosuggest from '@cloudscape-design/components/autosuggest';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { type FormEvent, useMemo, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { Location, Page, PutLocationBody } from '../../api/types.ts';
import { isDeclared } from '../../app/access.ts';
import { CODE_PATTERN } from '../../app/ids.ts';
import { useNotifications } from '../../app/notifications.tsx';
import { useResource } from '../../app/use-resource.ts';
import { formatDateTime } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, EmptyState, NotAvailable } from '../../components/states.tsx';

const TYPES = [
  { value: 'warehouse', label: 'Warehouse' },
  { value: 'store', label: 'Store' },
  { value: '3pl', label: '3PL' },
] as const;

const emptyAddress = { line1: '', line2: '', city: '', region: '', postalCode: '', country: '' };

function LocationForm({ onSaved }: { onSaved: () => void }) {
  const { notify } = useNotifications();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [type, setType] = useState<PutLocationBody['type']>('warehouse');
  const [timezone, setTimezone] = useState('');
  const [address, setAddress] = useState(emptyAddress);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const zones = useMemo(() => {
    try {
      return Intl.supportedValuesOf('timeZone').map((z) => ({ value: z }));
    } catch {
      return [];
    }
  }, []);
  const hasAddress = Object.values(address).some((v) => v.trim());
  const errors = {
    id: !id
      ? 'Required'
      : !CODE_PATTERN.test(id) || id.length > 64
        ? 'Letters, digits, ".", "_" or "-" (at most 64)'
        : undefined,
    name: name.trim() ? undefined : 'Required',
    country:
      hasAddress && !/^[A-Za-z]{2}$/.test(address.country) ? 'Two-letter country code, e.g. US' : undefined,
    address:
      hasAddress && (!address.line1 || !address.city || !address.postalCode)
        ? 'Street, city and postal code are required'
        : undefined,
  };
  const show = (e: string | undefined) => (submitted ? e : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.values(errors).some(Boolean)) return;
    setBusy(true);
    setError(null);
    const body: PutLocationBody = {
      name: name.trim(),
      type,
      ...(timezone ? { timezone } : {}),
      ...(hasAddress
        ? {
            address: {
              line1: address.line1,
              ...(address.line2 ? { line2: address.line2 } : {}),
              city: address.city,
              ...(address.region ? { region: address.region } : {}),
              postalCode: address.postalCode,
              country: address.country.toUpperCase(),
            },
          }
        : {}),
    };
    try {
      const saved = await endpoints.putLocation(id, body);
      notify({ type: 'success', header: `Location ${saved.locationId} saved` });
      setSubmitted(false);
      setId('');
      setName('');
      setTimezone('');
      setAddress(emptyAddress);
      onSaved();
    } catch (err) {
      setError(err as ApiError);
    }
    setBusy(false);
  };

  const field = (key: keyof typeof emptyAddress, label: string, extra?: string) => (
    <FormField
      label={label}
      errorText={key === 'country' ? show(errors.country) : undefined}
      constraintText={extra}
    >
      <Input
        value={address[key]}
        onChange={({ detail }) => setAddress((a) => ({ ...a, [key]: detail.value }))}
      />
    </FormField>
  );

  return (
    <form onSubmit={submit} data-testid="location-form">
      <Form
        header={
          <Header variant="h2" description="Creates the location, or replaces it when the id exists.">
            Create or replace a location
          </Header>
        }
        actions={
          <Button variant="primary" formAction="submit" loading={busy}>
            Save location
          </Button>
        }
        errorText={error ? undefined : show(errors.address)}
      >
        <Container>
          <SpaceBetween size="m">
            <ColumnLayout columns={3}>
              <FormField
                label="Location id"
                errorText={show(errors.id)}
                constraintText="Printed on labels; cannot change later"
              >
                <Input
                  value={id}
                  onChange={({ detail }) => setId(detail.value.trim())}
                  placeholder="DC-EAST"
                />
              </FormField>
              <FormField label="Name" errorText={show(errors.name)}>
                <Input
                  value={name}
                  onChange={({ detail }) => setName(detail.value)}
                  placeholder="East distribution center"
                />
              </FormField>
              <FormField label="Type">
                <Select
                  selectedOption={TYPES.find((t) => t.value === type) ?? null}
                  onChange={({ detail }) => setType(detail.selectedOption.value as PutLocationBody['type'])}
                  options={TYPES.map((t) => ({ ...t }))}
                />
              </FormField>
            </ColumnLayout>
            <FormField label="Time zone" constraintText="Optional; carrier cutoffs are local to it">
              <Autosuggest
                value={timezone}
                onChange={({ detail }) => setTimezone(detail.value)}
                options={zones}
                placeholder="America/New_York"
                empty="No matching time zone"
                enteredTextLabel={(v) => `Use "${v}"`}
              />
            </FormField>
            <ExpandableSection headerText="Address" variant="footer">
              <ColumnLayout columns={3}>
                {field('line1', 'Street')}
                {field('line2', 'Street, line 2')}
                {field('city', 'City')}
                {field('region', 'Region or state')}
                {field('postalCode', 'Postal code')}
                {field('country', 'Country', 'Two letters, e.g. US')}
              </ColumnLayout>
            </ExpandableSection>
            {error && <ApiErrorAlert error={error} what="save the location" />}
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
}

const LIST_LOCATIONS = 'GET /api/locations';

export function LocationsTab() {
  const [refresh, setRefresh] = useState(0);
  const listed = isDeclared(LIST_LOCATIONS);
  const list = useResource<Page<Location>>(listed ? `locations:${refresh}` : null, (signal) =>
    api.get<Page<Location>>('/api/locations', { limit: 200 }, signal),
  );
  return (
    <SpaceBetween size="l">
      {!listed || list.error?.notAvailable ? (
        <NotAvailable route={LIST_LOCATIONS}>
          <span>Locations can be created and replaced below; listing them arrives with that route.</span>
        </NotAvailable>
      ) : (
        <Table<Location>
          variant="container"
          loading={list.loading}
          loadingText="Loading locations"
          items={list.data?.items ?? []}
          trackBy="locationId"
          header={<Header counter={list.data ? `(${list.data.items.length})` : undefined}>Locations</Header>}
          empty={
            list.error && !(list.error instanceof ApiError && list.error.notAvailable) ? (
              <ApiErrorAlert error={list.error} onRetry={list.reload} />
            ) : (
              <EmptyState title="No locations" />
            )
          }
          columnDefinitions={[
            {
              id: 'id',
              header: 'Id',
              cell: (l) => (
                <RouterLink href={`/inventory/locations/${encodeURIComponent(l.locationId)}`}>
                  {l.locationId}
                </RouterLink>
              ),
              isRowHeader: true,
            },
            { id: 'name', header: 'Name', cell: (l) => l.name },
            { id: 'type', header: 'Type', cell: (l) => l.type },
            { id: 'tz', header: 'Time zone', cell: (l) => l.timezone ?? '—' },
            { id: 'updated', header: 'Updated', cell: (l) => formatDateTime(l.updatedAt) },
          ]}
        />
      )}
      <LocationForm onSaved={() => setRefresh((r) => r + 1)} />
    </SpaceBetween>
  );
}
