import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Multiselect from '@cloudscape-design/components/multiselect';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import TimeInput from '@cloudscape-design/components/time-input';
import { type FormEvent, useState } from 'react';
import type { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { Carrier, CarrierBody } from '../../api/types.ts';
import { can } from '../../app/access.ts';
import { CODE_PATTERN } from '../../app/ids.ts';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { formatDateTime } from '../../components/format.tsx';
import { useLocations } from '../../components/my-site.tsx';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';

const PUT_CARRIER = 'PUT /api/carriers/{carrierId}';
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const DAY_OPTIONS = DAYS.map((label, i) => ({ value: String(i + 1), label }));
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

type Service = CarrierBody['services'][number];
type Cutoff = Service['cutoffs'][number];
interface ServiceDraft {
  code: string;
  /** Comma-separated in the form. */
  serviceLevels: string;
  cutoffs: { locationId: string; time: string; days: number[] }[];
}

const daysText = (days: number[] | undefined) =>
  !days || days.length === 7 ? 'every day' : days.map((d) => DAYS[d - 1]).join(' ');

const cutoffText = (c: Cutoff) => `${c.locationId} ${c.time} ${daysText(c.days)}`;

const toDraft = (s: Service): ServiceDraft => ({
  code: s.code,
  serviceLevels: s.serviceLevels.join(', '),
  cutoffs: s.cutoffs.map((c) => ({ locationId: c.locationId, time: c.time, days: c.days ?? [] })),
});
const emptyService = (): ServiceDraft => ({ code: '', serviceLevels: 'standard', cutoffs: [] });

/** Carriers, their services (which service levels each carries) and daily cutoffs per location. */
export function CarriersTab() {
  const user = useUser();
  const canEdit = can(user.roles, PUT_CARRIER);
  const list = useResource('carriers', (signal) => endpoints.listCarriers(signal));
  const [editing, setEditing] = useState<Carrier | 'new' | null>(null);
  const carriers = list.data?.items ?? [];
  return (
    <SpaceBetween size="l">
      <Table<Carrier>
        data-testid="carriers-table"
        variant="container"
        loading={list.loading && !list.data}
        loadingText="Loading carriers"
        items={carriers}
        trackBy="carrierId"
        header={
          <Header
            counter={list.data ? `(${carriers.length})` : undefined}
            description="Cutoffs are local times at each location: orders must leave by them, and waves are planned to make them."
            actions={
              canEdit && (
                <Button onClick={() => setEditing('new')} data-testid="add-carrier">
                  Add carrier
                </Button>
              )
            }
          >
            Carriers and cutoffs
          </Header>
        }
        empty={
          list.error ? (
            <ApiErrorAlert error={list.error} onRetry={list.reload} what="load the carriers" />
          ) : (
            <EmptyState
              title="No carriers"
              subtitle="Without a carrier cutoff, orders wave after those with one."
            />
          )
        }
        columnDefinitions={[
          { id: 'id', header: 'Carrier', cell: (c) => c.carrierId, isRowHeader: true },
          { id: 'name', header: 'Name', cell: (c) => c.name },
          {
            id: 'services',
            header: 'Services',
            cell: (c) => (
              <SpaceBetween size="xxxs">
                {c.services.map((s) => (
                  <Box key={s.code}>
                    <strong>{s.code}</strong> ({s.serviceLevels.join(', ')})
                    {s.cutoffs.length > 0 ? `: ${s.cutoffs.map(cutoffText).join('; ')}` : ': no cutoff'}
                  </Box>
                ))}
              </SpaceBetween>
            ),
          },
          {
            id: 'updated',
            header: 'Updated',
            cell: (c) => `${formatDateTime(c.updatedAt)} · ${c.updatedBy}`,
          },
          ...(canEdit
            ? [
                {
                  id: 'edit',
                  header: '',
                  cell: (c: Carrier) => (
                    <Button
                      variant="inline-link"
                      onClick={() => setEditing(c)}
                      ariaLabel={`Edit ${c.carrierId}`}
                    >
                      Edit
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <CarrierForm
          key={editing === 'new' ? 'new' : editing.carrierId}
          carrier={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.reload();
          }}
        />
      )}
    </SpaceBetween>
  );
}

function CarrierForm(props: { carrier: Carrier | undefined; onClose: () => void; onSaved: () => void }) {
  const { notify } = useNotifications();
  const locations = useLocations();
  const [carrierId, setCarrierId] = useState(props.carrier?.carrierId ?? '');
  const [name, setName] = useState(props.carrier?.name ?? '');
  const [services, setServices] = useState<ServiceDraft[]>(
    props.carrier ? props.carrier.services.map(toDraft) : [emptyService()],
  );
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const levels = (s: ServiceDraft) =>
    s.serviceLevels
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean);
  const errors = {
    id: !carrierId
      ? 'Required'
      : CODE_PATTERN.test(carrierId)
        ? undefined
        : 'Letters, digits, ".", "_" or "-"',
    name: name.trim() ? undefined : 'Required',
    services: services.length === 0 ? 'At least one service' : undefined,
  };
  const serviceError = (s: ServiceDraft) => ({
    code: s.code.trim() ? undefined : 'Required',
    levels: levels(s).length ? undefined : 'At least one service level',
    cutoffs: s.cutoffs.map((c) => ({
      location: c.locationId ? undefined : 'Required',
      time: TIME.test(c.time) ? undefined : 'HH:mm, 24-hour',
    })),
  });
  const invalid =
    Object.values(errors).some(Boolean) ||
    services.some((s) => {
      const e = serviceError(s);
      return e.code || e.levels || e.cutoffs.some((c) => c.location || c.time);
    });
  const show = (e: string | undefined) => (submitted ? e : undefined);
  const update = (i: number, next: Partial<ServiceDraft>) =>
    setServices((all) => all.map((s, j) => (j === i ? { ...s, ...next } : s)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (invalid) return;
    setBusy(true);
    setError(null);
    const body: CarrierBody = {
      name: name.trim(),
      services: services.map((s) => ({
        code: s.code.trim(),
        serviceLevels: levels(s),
        cutoffs: s.cutoffs.map((c) => ({
          locationId: c.locationId,
          time: c.time,
          ...(c.days.length > 0 && c.days.length < 7 ? { days: [...c.days].sort() } : {}),
        })),
      })),
    };
    try {
      await endpoints.putCarrier(carrierId, body);
      notify({ type: 'success', header: `Carrier ${carrierId} saved` });
      props.onSaved();
    } catch (err) {
      setError(err as ApiError);
    }
    setBusy(false);
  };

  const locationOptions = locations.map((l) => ({
    value: l.locationId,
    label: l.locationId,
    description: l.name,
  }));
  return (
    <form onSubmit={submit} data-testid="carrier-form">
      <Form
        header={
          <Header variant="h2">{props.carrier ? `Edit ${props.carrier.carrierId}` : 'Add a carrier'}</Header>
        }
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button formAction="none" variant="link" onClick={props.onClose}>
              Cancel
            </Button>
            <Button variant="primary" formAction="submit" loading={busy} data-testid="save-carrier">
              Save carrier
            </Button>
          </SpaceBetween>
        }
        errorText={show(errors.services)}
      >
        <SpaceBetween size="l">
          <Container>
            <ColumnLayout columns={2}>
              <FormField label="Carrier id" errorText={show(errors.id)} constraintText="Cannot change later">
                <Input
                  value={carrierId}
                  disabled={!!props.carrier}
                  onChange={({ detail }) => setCarrierId(detail.value.trim())}
                  placeholder="ups"
                  data-testid="carrier-id"
                />
              </FormField>
              <FormField label="Name" errorText={show(errors.name)}>
                <Input
                  value={name}
                  onChange={({ detail }) => setName(detail.value)}
                  placeholder="UPS"
                  data-testid="carrier-name"
                />
              </FormField>
            </ColumnLayout>
          </Container>
          {services.map((s, i) => {
            const se = serviceError(s);
            return (
              <Container
                // biome-ignore lint/suspicious/noArrayIndexKey: services being edited have no stable id until saved.
                key={i}
                header={
                  <Header
                    variant="h3"
                    actions={
                      services.length > 1 && (
                        <Button
                          formAction="none"
                          onClick={() => setServices((all) => all.filter((_, j) => j !== i))}
                        >
                          Remove service
                        </Button>
                      )
                    }
                  >
                    Service {s.code || i + 1}
                  </Header>
                }
              >
                <SpaceBetween size="m">
                  <ColumnLayout columns={2}>
                    <FormField label="Service code" errorText={show(se.code)}>
                      <Input
                        value={s.code}
                        onChange={({ detail }) => update(i, { code: detail.value })}
                        placeholder="ground"
                        data-testid={`service-${i}-code`}
                      />
                    </FormField>
                    <FormField
                      label="Service levels it carries"
                      errorText={show(se.levels)}
                      constraintText="Comma-separated: standard, expedited, overnight, pickup"
                    >
                      <Input
                        value={s.serviceLevels}
                        onChange={({ detail }) => update(i, { serviceLevels: detail.value })}
                        data-testid={`service-${i}-levels`}
                      />
                    </FormField>
                  </ColumnLayout>
                  {s.cutoffs.map((c, k) => {
                    const ce = se.cutoffs[k];
                    const setCutoff = (next: Partial<ServiceDraft['cutoffs'][number]>) =>
                      update(i, { cutoffs: s.cutoffs.map((x, m) => (m === k ? { ...x, ...next } : x)) });
                    return (
                      // biome-ignore lint/suspicious/noArrayIndexKey: cutoff rows have no id of their own.
                      <ColumnLayout key={k} columns={4}>
                        <FormField label="Location" errorText={show(ce?.location)}>
                          {locationOptions.length > 0 ? (
                            <Select
                              selectedOption={
                                locationOptions.find((o) => o.value === c.locationId) ??
                                (c.locationId ? { value: c.locationId, label: c.locationId } : null)
                              }
                              onChange={({ detail }) =>
                                setCutoff({ locationId: detail.selectedOption.value ?? '' })
                              }
                              options={locationOptions}
                              placeholder="Choose"
                            />
                          ) : (
                            <Input
                              value={c.locationId}
                              onChange={({ detail }) => setCutoff({ locationId: detail.value.trim() })}
                            />
                          )}
                        </FormField>
                        <FormField label="Cutoff (local time)" errorText={show(ce?.time)}>
                          <TimeInput
                            format="hh:mm"
                            placeholder="17:00"
                            value={c.time}
                            onChange={({ detail }) => setCutoff({ time: detail.value })}
                            data-testid={`service-${i}-cutoff-${k}-time`}
                          />
                        </FormField>
                        <FormField label="Days" constraintText="None chosen: every day">
                          <Multiselect
                            selectedOptions={DAY_OPTIONS.filter((d) => c.days.includes(Number(d.value)))}
                            onChange={({ detail }) =>
                              setCutoff({ days: detail.selectedOptions.map((o) => Number(o.value)) })
                            }
                            options={DAY_OPTIONS}
                            placeholder="Every day"
                          />
                        </FormField>
                        <Box padding={{ top: 'l' }}>
                          <Button
                            formAction="none"
                            onClick={() => update(i, { cutoffs: s.cutoffs.filter((_, m) => m !== k) })}
                          >
                            Remove cutoff
                          </Button>
                        </Box>
                      </ColumnLayout>
                    );
                  })}
                  <Button
                    formAction="none"
                    onClick={() =>
                      update(i, {
                        cutoffs: [
                          ...s.cutoffs,
                          { locationId: locationOptions[0]?.value ?? '', time: '17:00', days: [] },
                        ],
                      })
                    }
                    data-testid={`service-${i}-add-cutoff`}
                  >
                    Add cutoff
                  </Button>
                </SpaceBetween>
              </Container>
            );
          })}
          <Button formAction="none" onClick={() => setServices((all) => [...all, emptyService()])}>
            Add service
          </Button>
          {error && <ApiErrorAlert error={error} what="save the carrier" />}
        </SpaceBetween>
      </Form>
    </form>
  );
}
