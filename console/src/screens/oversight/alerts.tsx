import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Multiselect from '@cloudscape-design/components/multiselect';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import type { Alert, AlertSettings, AlertType } from '../../../../functions/oversight/api.ts';
import type { ApiError } from '../../api/client.ts';
import { oversightEndpoints } from '../../api/oversight-endpoints.ts';
import { can } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { formatDateTime } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';

const ACK = 'POST /api/alerts/{alertId}/acknowledge';
const PUT_SETTINGS = 'PUT /api/alerts/settings';

const TYPE_LABELS: Record<AlertType, string> = {
  channel_sync: 'Channel sync failing',
  backorder_aging: 'Aging backorder',
  cutoff_risk: 'Wave at cutoff risk',
  count_variance: 'Count variance',
  stockout_risk: 'Stock-out predicted',
  intake_exceptions: 'Intake exceptions piling up',
  inventory_mismatch: '3PL inventory mismatch',
};

function Settings({ canEdit }: { canEdit: boolean }) {
  const { notify } = useNotifications();
  const [generation, setGeneration] = useState(0);
  const stored = useResource(`alert-settings:${generation}`, (signal) => oversightEndpoints.settings(signal));
  const [draft, setDraft] = useState<{
    backorderAgeHours: string;
    intakeExceptionsOpen: string;
    muted: AlertType[];
  } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const current =
    draft ??
    (stored.data
      ? {
          backorderAgeHours: String(stored.data.backorderAgeHours),
          intakeExceptionsOpen: String(stored.data.intakeExceptionsOpen),
          muted: stored.data.muted,
        }
      : null);
  const save = async () => {
    if (!current) return;
    setError(null);
    const body: AlertSettings = {
      backorderAgeHours: Number(current.backorderAgeHours),
      intakeExceptionsOpen: Number(current.intakeExceptionsOpen),
      muted: current.muted,
    };
    try {
      await oversightEndpoints.putSettings(body);
      notify({ type: 'success', header: 'Alert thresholds saved; the next sweep applies them' });
      setDraft(null);
      setGeneration((g) => g + 1);
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const typeOptions = (Object.keys(TYPE_LABELS) as AlertType[]).map((t) => ({
    value: t,
    label: TYPE_LABELS[t],
  }));
  return (
    <Container
      data-testid="alert-settings"
      header={
        <Header
          variant="h2"
          description="Channel sync, cutoff risk, count tolerance and stock-out risk follow their own contexts' settings."
          actions={
            canEdit && (
              <Button onClick={save} disabled={!draft}>
                Save thresholds
              </Button>
            )
          }
        >
          Thresholds
        </Header>
      }
    >
      {stored.error && (
        <ApiErrorAlert error={stored.error} onRetry={stored.reload} what="load the thresholds" />
      )}
      {error && <ApiErrorAlert error={error} what="save the thresholds" />}
      {current && (
        <ColumnLayout columns={3}>
          <FormField label="Backorder older than (hours)">
            <Input
              type="number"
              value={current.backorderAgeHours}
              readOnly={!canEdit}
              onChange={({ detail }) => setDraft({ ...current, backorderAgeHours: detail.value })}
            />
          </FormField>
          <FormField label="Open intake exceptions at least">
            <Input
              type="number"
              value={current.intakeExceptionsOpen}
              readOnly={!canEdit}
              onChange={({ detail }) => setDraft({ ...current, intakeExceptionsOpen: detail.value })}
            />
          </FormField>
          <FormField label="Muted alert types">
            <Multiselect
              selectedOptions={typeOptions.filter((o) => current.muted.includes(o.value))}
              options={typeOptions}
              disabled={!canEdit}
              placeholder="None muted"
              onChange={({ detail }) =>
                setDraft({ ...current, muted: detail.selectedOptions.map((o) => o.value as AlertType) })
              }
            />
          </FormField>
        </ColumnLayout>
      )}
    </Container>
  );
}

/**
 * The alerts inbox: what needs someone now, each with a link to the screen where its cause is
 * resolved. Alerts close by themselves when the cause is gone; acknowledging says someone is on it.
 */
export default function Alerts() {
  usePage('Alerts');
  const user = useUser();
  const { notify } = useNotifications();
  const [status, setStatus] = useState<'open' | 'cleared'>('open');
  const [generation, setGeneration] = useState(0);
  const list = useResource(`alerts:${status}:${generation}`, (signal) =>
    oversightEndpoints.alerts(status, signal),
  );
  const [error, setError] = useState<ApiError | null>(null);
  const canAck = can(user.roles, ACK);
  const acknowledge = async (a: Alert) => {
    setError(null);
    try {
      await oversightEndpoints.acknowledge(a.alertId);
      notify({ type: 'success', header: `Acknowledged: ${TYPE_LABELS[a.type]}` });
      setGeneration((g) => g + 1);
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <ContentLayout header={<Header variant="h1">Alerts</Header>}>
      <SpaceBetween size="l">
        {error && <ApiErrorAlert error={error} what="acknowledge the alert" />}
        <Table<Alert>
          data-testid="alerts"
          loading={list.loading}
          loadingText="Loading alerts"
          items={list.data ?? []}
          trackBy="alertId"
          header={
            <Header
              counter={list.data ? `(${list.data.length})` : undefined}
              actions={
                <SpaceBetween direction="horizontal" size="xs">
                  <SegmentedControl
                    selectedId={status}
                    onChange={({ detail }) => setStatus(detail.selectedId as 'open' | 'cleared')}
                    label="Status"
                    options={[
                      { id: 'open', text: 'Open' },
                      { id: 'cleared', text: 'Cleared' },
                    ]}
                  />
                  <Button
                    iconName="refresh"
                    ariaLabel="Refresh"
                    onClick={() => setGeneration((g) => g + 1)}
                  />
                </SpaceBetween>
              }
            >
              {status === 'open' ? 'Open alerts' : 'Cleared alerts'}
            </Header>
          }
          empty={
            list.error ? (
              <ApiErrorAlert error={list.error} onRetry={list.reload} what="load the alerts" />
            ) : (
              <EmptyState title={status === 'open' ? 'Nothing needs attention' : 'No cleared alerts'} />
            )
          }
          columnDefinitions={[
            { id: 'type', header: 'Alert', isRowHeader: true, cell: (a) => TYPE_LABELS[a.type] ?? a.type },
            { id: 'message', header: 'What', cell: (a) => a.message },
            { id: 'location', header: 'Location', cell: (a) => a.locationId ?? '—' },
            { id: 'raised', header: 'Raised', cell: (a) => formatDateTime(a.raisedAt) },
            {
              id: 'state',
              header: 'State',
              cell: (a) =>
                a.status === 'cleared' ? (
                  <StatusIndicator type="success">cleared {formatDateTime(a.clearedAt)}</StatusIndicator>
                ) : a.acknowledgedBy ? (
                  <StatusIndicator type="in-progress">{a.acknowledgedBy} is on it</StatusIndicator>
                ) : (
                  <StatusIndicator type="warning">open</StatusIndicator>
                ),
            },
            {
              id: 'actions',
              header: 'Resolve',
              cell: (a) => (
                <SpaceBetween direction="horizontal" size="xs">
                  <RouterLink href={a.link}>Open</RouterLink>
                  {canAck && a.status === 'open' && !a.acknowledgedBy && (
                    <Button variant="inline-link" onClick={() => acknowledge(a)}>
                      Acknowledge
                    </Button>
                  )}
                </SpaceBetween>
              ),
            },
          ]}
        />
        <Settings canEdit={can(user.roles, PUT_SETTINGS)} />
      </SpaceBetween>
    </ContentLayout>
  );
}
