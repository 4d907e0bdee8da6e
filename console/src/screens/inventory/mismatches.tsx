import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Modal from '@cloudscape-design/components/modal';
import Pagination from '@cloudscape-design/components/pagination';
import Popover from '@cloudscape-design/components/popover';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import Textarea from '@cloudscape-design/components/textarea';
import { useState } from 'react';
import type { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { CheckReport, JournalEntry, Mismatch } from '../../api/types.ts';
import { can, rolesFor } from '../../app/access.ts';
import { ROLE_LABELS } from '../../app/identity.ts';
import { newIdempotencyKey } from '../../app/ids.ts';
import { useNotifications } from '../../app/notifications.tsx';
import { composeReason } from '../../app/reasons.ts';
import { useUser } from '../../app/session.tsx';
import { useCursorList } from '../../app/use-resource.ts';
import { formatDateTime, formatNumber, JsonBlock } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, EmptyState, UndeclaredNotice } from '../../components/states.tsx';

/** The inventory invariants, as the checker numbers them; see docs/architecture.md. */
export const INVARIANTS: Record<number, string> = {
  1: 'No bucket negative; available as computed',
  2: 'On-hand equals its ledger',
  3: 'Reserved equals open reservations',
  4: 'One ledger movement per change',
};

const CHECK = 'POST /api/inventory/checks';
const REPAIR = 'POST /api/inventory/repairs';

type Target = Pick<Mismatch, 'sku' | 'locationId'>;

function RepairModal({
  target,
  onClose,
  onDone,
}: {
  target: Target;
  onClose: () => void;
  onDone: () => void;
}) {
  const { notify } = useNotifications();
  const [note, setNote] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [idempotencyKey] = useState(() => newIdempotencyKey('repair'));
  const submit = async () => {
    setSubmitted(true);
    if (!note.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const result = await endpoints.repairPosition({
        ...target,
        reason: composeReason('ledger-repair', note),
        idempotencyKey,
      });
      notify({
        type: 'success',
        header: `Repaired ${target.sku} at ${target.locationId}`,
        content: `${result.repairs.length} correcting movement(s) written to the ledger.`,
      });
      onDone();
    } catch (e) {
      setError(e as ApiError);
      setBusy(false);
    }
  };
  return (
    <Modal
      visible
      onDismiss={onClose}
      header={`Repair ${target.sku} at ${target.locationId}`}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onClose}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} onClick={() => void submit()}>
              Write correcting movements
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box>
          Writes ledger movements that make the ledger agree with the position again. The position itself does
          not change; the reason is kept in the ledger and the audit trail.
        </Box>
        <FormField label="Why" errorText={submitted && !note.trim() ? 'Explain the repair' : undefined}>
          <Textarea value={note} onChange={({ detail }) => setNote(detail.value)} rows={3} ariaLabel="Why" />
        </FormField>
        {error && <ApiErrorAlert error={error} what="repair the position" />}
      </SpaceBetween>
    </Modal>
  );
}

function MismatchTable(props: {
  items: (Mismatch & { at?: string })[];
  header: React.ReactNode;
  loading?: boolean;
  pagination?: React.ReactNode;
  empty: React.ReactNode;
  onRepair?: (t: Target) => void;
  testId: string;
}) {
  return (
    <Table<Mismatch & { at?: string }>
      data-testid={props.testId}
      variant="container"
      loading={props.loading}
      loadingText="Loading"
      items={props.items}
      header={props.header}
      pagination={props.pagination}
      empty={props.empty}
      wrapLines={false}
      columnDefinitions={[
        ...(props.items.some((i) => i.at)
          ? [{ id: 'at', header: 'Found', cell: (m: Mismatch & { at?: string }) => formatDateTime(m.at) }]
          : []),
        {
          id: 'sku',
          header: 'SKU',
          cell: (m) => (
            <RouterLink href={`/inventory/${encodeURIComponent(m.sku)}?tab=ledger`}>{m.sku}</RouterLink>
          ),
          isRowHeader: true,
        },
        {
          id: 'location',
          header: 'Location',
          cell: (m) => `${m.locationId}${m.shard ? ` (shard ${m.shard})` : ''}`,
        },
        {
          id: 'invariant',
          header: 'Invariant',
          cell: (m) => (
            <StatusIndicator type="error">
              {m.invariant}. {INVARIANTS[m.invariant] ?? ''}
            </StatusIndicator>
          ),
        },
        { id: 'problem', header: 'Problem', cell: (m) => m.problem },
        {
          id: 'evidence',
          header: 'Evidence',
          cell: (m) => (
            <Popover
              size="large"
              header="Evidence"
              content={<JsonBlock value={m.evidence} />}
              triggerType="text"
            >
              View
            </Popover>
          ),
        },
        ...(props.onRepair
          ? [
              {
                id: 'repair',
                header: 'Action',
                cell: (m: Mismatch) => (
                  <Button
                    variant="inline-link"
                    onClick={() => props.onRepair?.({ sku: m.sku, locationId: m.locationId })}
                  >
                    Repair
                  </Button>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

/**
 * Positions whose numbers break an invariant: run the checker on demand, read what it found (it
 * also runs on a schedule and journals every finding), and repair the ledger with a reason.
 */
export function Mismatches() {
  const user = useUser();
  const [report, setReport] = useState<CheckReport | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [repairing, setRepairing] = useState<Target | null>(null);
  const [refresh, setRefresh] = useState(0);
  const canCheck = can(user.roles, CHECK);
  const canRepair = can(user.roles, REPAIR);
  const canReadJournal = can(user.roles, 'GET /api/events');

  const journal = useCursorList<JournalEntry>(
    canReadJournal ? `mismatch-events:${refresh}` : null,
    (cursor, signal) =>
      endpoints.events(
        { type: 'InventoryMismatchDetected', limit: 25, ...(cursor ? { cursor } : {}) },
        signal,
      ),
  );

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      setReport(await endpoints.checkInventory());
      setTimeout(() => setRefresh((r) => r + 1), 1500);
    } catch (e) {
      setError(e as ApiError);
    }
    setRunning(false);
  };

  // Who may run a check, from the manifest: "Administrator or Inventory controller".
  const checkers = rolesFor(CHECK).map((r) => ROLE_LABELS[r]);
  const whoChecks =
    checkers.length > 1 ? `${checkers.slice(0, -1).join(', ')} or ${checkers.at(-1)}` : checkers[0];

  return (
    <SpaceBetween size="l">
      <UndeclaredNotice routes={[CHECK, REPAIR]} />
      <Container
        header={
          <Header
            variant="h2"
            description="Proves the inventory invariants for every position: no negative bucket, on-hand equal to its ledger, reserved equal to open reservations, one movement per change. It also runs on a schedule."
            actions={
              canCheck && (
                <Button onClick={() => void run()} loading={running} data-testid="run-check">
                  Run check now
                </Button>
              )
            }
          >
            Invariant check
          </Header>
        }
      >
        {error ? (
          <ApiErrorAlert error={error} what="run the check" />
        ) : report ? (
          <KeyValuePairs
            columns={4}
            data-testid="check-report"
            items={[
              { label: 'Checked', value: formatDateTime(report.checkedAt) },
              { label: 'Positions', value: formatNumber(report.positions) },
              { label: 'Movements', value: formatNumber(report.movements) },
              { label: 'Open reservations', value: formatNumber(report.openReservations) },
              { label: 'Not yet caught up (not judged)', value: formatNumber(report.lagging) },
              {
                label: 'Mismatches',
                value: (
                  <StatusIndicator type={report.mismatches.length ? 'error' : 'success'}>
                    {report.mismatches.length ? formatNumber(report.mismatches.length) : 'None'}
                  </StatusIndicator>
                ),
              },
            ]}
          />
        ) : (
          <Box color="text-body-secondary">
            {canCheck
              ? 'Run a check to see the current state.'
              : whoChecks
                ? `Your role cannot run a check; ${whoChecks} can.`
                : 'Running a check is not part of this deployment.'}
          </Box>
        )}
      </Container>

      {report && report.mismatches.length > 0 && (
        <MismatchTable
          testId="check-mismatches"
          items={report.mismatches}
          header={<Header counter={`(${report.mismatches.length})`}>Found by this check</Header>}
          empty={<EmptyState title="No mismatches" />}
          {...(canRepair ? { onRepair: setRepairing } : {})}
        />
      )}

      {canReadJournal && (
        <MismatchTable
          testId="mismatch-journal"
          loading={journal.loading}
          items={journal.items.map((e) => ({ ...(e.data as Mismatch), at: e.occurredAt }))}
          header={
            <Header description="Every mismatch the checker reported, newest first (from the event journal).">
              Reported mismatches
            </Header>
          }
          pagination={<Pagination {...journal.pagination} />}
          empty={
            journal.error ? (
              <ApiErrorAlert error={journal.error} onRetry={journal.reload} />
            ) : (
              <EmptyState
                title="No mismatch reported"
                subtitle="Every check so far found the stock consistent."
              />
            )
          }
          {...(canRepair ? { onRepair: setRepairing } : {})}
        />
      )}

      {repairing && (
        <RepairModal
          target={repairing}
          onClose={() => setRepairing(null)}
          onDone={() => {
            setRepairing(null);
            setRefresh((r) => r + 1);
          }}
        />
      )}
    </SpaceBetween>
  );
}
