import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import Textarea from '@cloudscape-design/components/textarea';
import { type FormEvent, useState } from 'react';
import type {
  AccuracyAnswer,
  AccuracyFigures,
  CountVariance,
  VarianceStatus,
} from '../../../../functions/inbound/api.ts';
import { type ApiError, api, apiPath } from '../../api/client.ts';
import { can, isDeclared } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useNotifications } from '../../app/notifications.tsx';
import { useMySite } from '../../app/preferences.ts';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { CommandModal } from '../../components/command-modal.tsx';
import { formatDateTime } from '../../components/format.tsx';
import { ApiErrorAlert, EmptyState, NotAvailable } from '../../components/states.tsx';

const LIST = 'GET /api/count-variances';
const APPROVE = 'POST /api/count-variances/{id}/approve';
const REJECT = 'POST /api/count-variances/{id}/reject';
const ACCURACY = 'GET /api/count-accuracy';

const listVariances = (status: VarianceStatus, signal?: AbortSignal) =>
  api.get<{ items: CountVariance[] }>('/api/count-variances', { status }, signal).then((p) => p.items);
const decide = (id: string, decision: 'approve' | 'reject', reason: string) =>
  decision === 'approve'
    ? api.post<CountVariance>(apiPath`/api/count-variances/${id}/approve`, { reason })
    : api.post<CountVariance>(apiPath`/api/count-variances/${id}/reject`, { reason });

const percent = (f: AccuracyFigures) =>
  f.accuracy === null ? '—' : `${Math.round(f.accuracy * 1000) / 10} %`;

/** One line: the share of counted SKU-bins within tolerance at my site, overall and per ABC class. */
function accuracyLine(site: string, a: AccuracyAnswer): string {
  if (!a.counted) return `Accuracy at ${site}: nothing counted in the last 90 days.`;
  const classes = (['A', 'B', 'C'] as const).map((c) => `${c} ${percent(a.byClass[c])}`).join(' · ');
  return `Accuracy at ${site}, last 90 days: ${percent(a)} of ${a.counted} SKU-bins within tolerance (${classes}).`;
}

const STATUS_OPTIONS: { id: VarianceStatus; text: string }[] = [
  { id: 'pending', text: 'Waiting for approval' },
  { id: 'posted', text: 'Posted' },
  { id: 'rejected', text: 'Rejected' },
];

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/**
 * The supervisor's approval queue: count variances beyond tolerance (and automatic posts that
 * inventory refused, e.g. units reserved for orders), with what was expected and counted. Approve
 * posts the difference to the ledger; reject changes nothing. Both need a reason.
 */
export default function CountVariances() {
  usePage('Count approvals', [
    { text: 'Warehouse', href: '/warehouse' },
    { text: 'Count approvals', href: '/warehouse/variances' },
  ]);
  const user = useUser();
  const { notify } = useNotifications();
  const [status, setStatus] = useState<VarianceStatus>('pending');
  const [selected, setSelected] = useState<CountVariance[]>([]);
  const [deciding, setDeciding] = useState<'approve' | 'reject' | null>(null);
  const variances = useResource(isDeclared(LIST) ? `count-variances:${status}` : null, (signal) =>
    listVariances(status, signal),
  );
  const [site] = useMySite(user.username);
  const accuracy = useResource(
    site && can(user.roles, ACCURACY) ? `count-accuracy:${site}` : null,
    (signal) => api.get<AccuracyAnswer>('/api/count-accuracy', { locationId: site as string }, signal),
  );
  if (!isDeclared(LIST)) return <NotAvailable route={LIST} />;
  const items = variances.data ?? [];
  const chosen = selected[0];
  const mayDecide = status === 'pending' && chosen;
  return (
    <>
      <Table<CountVariance>
        data-testid="count-variances-table"
        variant="full-page"
        loading={variances.loading}
        loadingText="Loading count variances"
        items={items}
        trackBy="varianceId"
        selectionType={status === 'pending' ? 'single' : undefined}
        selectedItems={selected}
        onSelectionChange={(e) => setSelected(e.detail.selectedItems)}
        header={
          <Header
            variant="awsui-h1-sticky"
            counter={variances.data ? `(${items.length})` : undefined}
            description={
              <>
                Differences found by cycle counts. Approving posts the difference to the ledger; rejecting
                changes nothing.
                {site && accuracy.data && (
                  <>
                    <br />
                    <span data-testid="count-accuracy">{accuracyLine(site, accuracy.data)}</span>
                  </>
                )}
              </>
            }
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <SegmentedControl
                  selectedId={status}
                  options={STATUS_OPTIONS}
                  onChange={(e) => {
                    setStatus(e.detail.selectedId as VarianceStatus);
                    setSelected([]);
                  }}
                />
                {can(user.roles, REJECT) && (
                  <Button
                    disabled={!mayDecide}
                    onClick={() => setDeciding('reject')}
                    data-testid="reject-variance"
                  >
                    Reject
                  </Button>
                )}
                {can(user.roles, APPROVE) && (
                  <Button
                    variant="primary"
                    disabled={!mayDecide}
                    onClick={() => setDeciding('approve')}
                    data-testid="approve-variance"
                  >
                    Approve
                  </Button>
                )}
              </SpaceBetween>
            }
          >
            Count approvals
          </Header>
        }
        empty={
          variances.error ? (
            <ApiErrorAlert error={variances.error} onRetry={variances.reload} what="load count variances" />
          ) : (
            <EmptyState
              title={status === 'pending' ? 'Nothing waits for approval' : `No ${status} variances`}
              subtitle="Counts within tolerance post by themselves."
            />
          )
        }
        columnDefinitions={[
          { id: 'sku', header: 'SKU', isRowHeader: true, cell: (v) => v.sku },
          { id: 'where', header: 'Location · bin', cell: (v) => `${v.locationId} · ${v.binId}` },
          { id: 'expected', header: 'Expected', cell: (v) => v.expected },
          { id: 'counted', header: 'Counted', cell: (v) => v.counted },
          { id: 'delta', header: 'Difference', cell: (v) => signed(v.delta) },
          {
            id: 'counted-by',
            header: 'Count',
            cell: (v) => `${formatDateTime(v.countedAt)} by ${v.countedBy}`,
          },
          {
            id: 'state',
            header: 'Status',
            cell: (v) =>
              v.blocked ? (
                <StatusIndicator type="warning">Inventory refused: {v.blocked.code}</StatusIndicator>
              ) : v.status === 'posted' ? (
                <StatusIndicator type="success">
                  {v.auto && !v.decidedBy ? 'Posted (within tolerance)' : 'Posted'}
                </StatusIndicator>
              ) : v.status === 'rejected' ? (
                <StatusIndicator type="stopped">Rejected</StatusIndicator>
              ) : (
                <StatusIndicator type="pending">Beyond tolerance</StatusIndicator>
              ),
          },
          {
            id: 'decision',
            header: 'Decision',
            cell: (v) => (v.decidedBy ? `${v.decidedBy}: ${v.reason ?? ''}` : '—'),
          },
        ]}
      />
      {deciding && chosen && (
        <DecideModal
          variance={chosen}
          decision={deciding}
          onClose={() => setDeciding(null)}
          onDone={(v) => {
            setDeciding(null);
            setSelected([]);
            notify({
              type: 'success',
              header:
                v.status === 'posted'
                  ? `Posted ${signed(v.delta)} × ${v.sku} in ${v.binId}`
                  : `Rejected the count of ${v.sku} in ${v.binId}; stock unchanged`,
            });
            variances.reload();
          }}
        />
      )}
    </>
  );
}

function DecideModal(props: {
  variance: CountVariance;
  decision: 'approve' | 'reject';
  onClose: () => void;
  onDone: (v: CountVariance) => void;
}) {
  const { variance: v, decision } = props;
  const [reason, setReason] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const reasonError = reason.trim() ? undefined : 'Give a reason';
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setSubmitted(true);
    if (reasonError) return;
    setBusy(true);
    setError(null);
    try {
      props.onDone(await decide(v.varianceId, decision, reason.trim()));
    } catch (err) {
      setError(err as ApiError);
    }
    setBusy(false);
  };
  return (
    <CommandModal
      header={
        decision === 'approve' ? `Approve ${signed(v.delta)} × ${v.sku}` : `Reject the count of ${v.sku}`
      }
      submitLabel={decision === 'approve' ? 'Approve and post' : 'Reject'}
      busy={busy}
      onClose={props.onClose}
      onSubmit={submit}
      submitTestId="decide-submit"
    >
      <p>
        Bin {v.binId} at {v.locationId}: expected {v.expected}, counted {v.counted}.{' '}
        {decision === 'approve'
          ? 'The difference is posted to the ledger.'
          : 'Nothing changes in stock; ask for a recount if needed.'}
      </p>
      <FormField label="Reason" errorText={submitted ? reasonError : undefined}>
        <Textarea value={reason} onChange={(e) => setReason(e.detail.value)} data-testid="decide-reason" />
      </FormField>
      {error && <ApiErrorAlert error={error} what={`${decision} the variance`} />}
    </CommandModal>
  );
}
