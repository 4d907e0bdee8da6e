import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import Textarea from '@cloudscape-design/components/textarea';
import { type FormEvent, useState } from 'react';
import type { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { ThreePLConnectionView, ThreePLReconciliation } from '../../api/types.ts';
import { can } from '../../app/access.ts';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { CommandModal } from '../../components/command-modal.tsx';
import { formatDateTime } from '../../components/format.tsx';
import { ApiErrorAlert } from '../../components/states.tsx';

const LIST = 'GET /api/reconciliations';
const APPROVE = 'POST /api/reconciliations/{id}/approve';
const ORDERS = 'GET /api/locations/{id}/3pl-orders';

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/**
 * A 3PL location's side of the connectors: its connection (secrets only as flags), the open
 * reconciliations its snapshots raised, each approvable with a note (which posts the
 * adjustments), and the orders the 3PL reported a problem with. Each part shows only to roles
 * the API lets read it; Approve only to roles that may approve.
 */
export function ThreePLPanel(props: { locationId: string; connection?: ThreePLConnectionView }) {
  const user = useUser();
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">3PL connection</Header>}>
        {props.connection ? (
          <KeyValuePairs
            columns={4}
            items={[
              { label: 'Provider', value: props.connection.provider },
              { label: 'API', value: props.connection.apiBaseUrl },
              { label: 'Access token', value: props.connection.hasAccessToken ? 'Stored' : 'None' },
              { label: 'Webhook secret', value: props.connection.hasWebhookSecret ? 'Stored' : 'None' },
            ]}
          />
        ) : (
          <Box color="text-status-inactive">
            Not connected: PUT /api/locations/{props.locationId} with a connection (docs/threepl-webhooks.md).
          </Box>
        )}
      </Container>
      {can(user.roles, LIST) && (
        <Reconciliations locationId={props.locationId} mayApprove={can(user.roles, APPROVE)} />
      )}
      {can(user.roles, ORDERS) && <ProblemOrders locationId={props.locationId} />}
    </SpaceBetween>
  );
}

function Reconciliations(props: { locationId: string; mayApprove: boolean }) {
  const open = useResource(`reconciliations:${props.locationId}`, (signal) =>
    endpoints.listReconciliations({ locationId: props.locationId, status: 'open' }, signal),
  );
  const [approving, setApproving] = useState<ThreePLReconciliation | null>(null);
  const items = open.data?.items ?? [];
  return (
    <>
      <Table
        data-testid="reconciliations"
        header={
          <Header
            variant="h2"
            counter={open.data ? `(${items.length})` : undefined}
            description="Differences between the 3PL's inventory snapshots and our numbers here. Nothing changes stock until one is approved."
            actions={<Button iconName="refresh" ariaLabel="Reload" onClick={open.reload} />}
          >
            Open reconciliations
          </Header>
        }
        loading={open.loading}
        items={items}
        columnDefinitions={[
          { id: 'asOf', header: 'Snapshot of', cell: (r) => formatDateTime(r.asOf) },
          {
            id: 'lines',
            header: 'Differences (3PL vs ours)',
            cell: (r) =>
              r.lines
                .map((l) => `${l.sku} ${signed(l.delta)} (${l.reported} vs ${l.ours.onHand})`)
                .join(', '),
          },
          {
            id: 'error',
            header: 'Last approval',
            cell: (r) => (r.lastError ? <StatusIndicator type="error">{r.lastError}</StatusIndicator> : '—'),
          },
          {
            id: 'approve',
            header: '',
            cell: (r) =>
              props.mayApprove ? (
                <Button onClick={() => setApproving(r)} data-testid={`approve-${r.reconciliationId}`}>
                  Approve
                </Button>
              ) : null,
          },
        ]}
        empty={<Box color="text-status-inactive">No open reconciliations</Box>}
      />
      {open.error && (
        <ApiErrorAlert error={open.error} onRetry={open.reload} what="load the reconciliations" />
      )}
      {approving && (
        <ApproveModal
          reconciliation={approving}
          onClose={() => setApproving(null)}
          onDone={() => {
            setApproving(null);
            open.reload();
          }}
        />
      )}
    </>
  );
}

function ApproveModal(props: {
  reconciliation: ThreePLReconciliation;
  onClose: () => void;
  onDone: () => void;
}) {
  const { notify } = useNotifications();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const r = props.reconciliation;
  const noteError = note.trim() ? undefined : 'Say why the 3PL’s numbers are right';
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setSubmitted(true);
    if (noteError) return;
    setBusy(true);
    setError(null);
    try {
      await endpoints.approveReconciliation(r.reconciliationId, note.trim());
      notify({ type: 'success', header: `Reconciliation approved: ${r.lines.length} adjustment(s) posted` });
      props.onDone();
    } catch (err) {
      setError(err as ApiError);
    }
    setBusy(false);
  };
  return (
    <CommandModal
      header={`Approve the snapshot of ${formatDateTime(r.asOf)}`}
      submitLabel="Approve and post"
      busy={busy}
      onClose={props.onClose}
      onSubmit={submit}
      submitTestId="approve-submit"
    >
      <p>
        Each difference is posted as an adjustment at {r.locationId}:{' '}
        {r.lines.map((l) => `${l.sku} ${signed(l.delta)}`).join(', ')}.
      </p>
      <FormField label="Note" errorText={submitted ? noteError : undefined}>
        <Textarea value={note} onChange={(e) => setNote(e.detail.value)} data-testid="approve-note" />
      </FormField>
      {error && <ApiErrorAlert error={error} what="approve the reconciliation" />}
    </CommandModal>
  );
}

const PROBLEMS = ['exception', 'on_hold', 'cancelled'] as const;

function ProblemOrders(props: { locationId: string }) {
  const orders = useResource(`3pl-orders:${props.locationId}`, (signal) =>
    endpoints.listThreePLOrders(props.locationId, {}, signal),
  );
  const items = (orders.data?.items ?? []).filter((o) => (PROBLEMS as readonly string[]).includes(o.status));
  return (
    <>
      <Table
        data-testid="threepl-problems"
        header={
          <Header
            variant="h2"
            counter={orders.data ? `(${items.length})` : undefined}
            description="Orders the 3PL put on hold, raised an exception for, or cancelled."
          >
            3PL orders needing attention
          </Header>
        }
        loading={orders.loading}
        items={items}
        columnDefinitions={[
          { id: 'order', header: 'Order', cell: (o) => o.orderId },
          { id: 'status', header: '3PL says', cell: (o) => o.status.replace('_', ' ') },
          { id: 'reason', header: 'Reason', cell: (o) => o.reason ?? '—' },
          { id: 'at', header: 'Updated', cell: (o) => formatDateTime(o.updatedAt) },
        ]}
        empty={<Box color="text-status-inactive">Nothing to look at</Box>}
      />
      {orders.error && (
        <ApiErrorAlert error={orders.error} onRetry={orders.reload} what="load the 3PL orders" />
      )}
    </>
  );
}
