import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import Table from '@cloudscape-design/components/table';
import Textarea from '@cloudscape-design/components/textarea';
import { type FormEvent, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import type { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { Disposition, ReturnView } from '../../api/types.ts';
import { can } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { newIdempotencyKey } from '../../app/ids.ts';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { CommandModal } from '../../components/command-modal.tsx';
import { formatDateTime, formatMoney, formatNumber } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';
import { RefundStatusIndicator, ReturnStatusIndicator } from './return-status.tsx';

type Line = ReturnView['lines'][number];
type Entry = ReturnView['timeline'][number];

const DISPOSITIONS: { value: Disposition; label: string }[] = [
  { value: 'restock', label: 'Restock (sellable)' },
  { value: 'refurbish', label: 'Refurbish (quarantined until refurbished)' },
  { value: 'quarantine', label: 'Quarantine' },
  { value: 'damaged', label: 'Damaged' },
  { value: 'write_off', label: 'Write off' },
];
const DISPOSITION_LABEL = Object.fromEntries(DISPOSITIONS.map((d) => [d.value, d.value.replace('_', ' ')]));

const APPROVE = 'POST /api/returns/{id}/approve';
const INSPECT = 'POST /api/returns/{id}/inspections';
const REFUND = 'POST /api/returns/{id}/refund';
const RETRY = 'POST /api/returns/{id}/refund/retry';

const left = (l: Line) => l.received - Object.values(l.dispositions).reduce((s, n) => s + (n ?? 0), 0);

/** Approve or reject with a reason (the API says when a supervisor is needed). */
function DecisionModal(props: {
  r: ReturnView;
  decision: 'approve' | 'reject';
  onClose: () => void;
  onDone: (r: ReturnView) => void;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!reason.trim()) return;
    setBusy(true);
    try {
      props.onDone(await endpoints.decideReturn(props.r.returnId, props.decision, reason.trim()));
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <CommandModal
      header={`${props.decision === 'approve' ? 'Approve' : 'Reject'} return ${props.r.returnId}`}
      submitLabel={props.decision === 'approve' ? 'Approve' : 'Reject'}
      busy={busy}
      onClose={props.onClose}
      onSubmit={submit}
      submitTestId="decision-submit"
    >
      {error && <ApiErrorAlert error={error} />}
      <FormField label="Reason" errorText={reason.trim() ? undefined : 'Required'}>
        <Textarea
          value={reason}
          onChange={({ detail }) => setReason(detail.value)}
          rows={2}
          ariaLabel="Reason"
        />
      </FormField>
    </CommandModal>
  );
}

/** One inspection at a time: units of a SKU and their fate; the id is kept until it succeeds, so a retry counts once. */
function Inspection(props: { r: ReturnView; onDone: (r: ReturnView) => void }) {
  const open = props.r.lines.filter((l) => left(l) > 0);
  const [sku, setSku] = useState(open[0]?.sku ?? '');
  const [quantity, setQuantity] = useState('1');
  const [disposition, setDisposition] = useState<Disposition>('restock');
  const [inspectionId, setInspectionId] = useState(() => newIdempotencyKey('insp'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const line = open.find((l) => l.sku === sku) ?? open[0];
  const n = Number(quantity);
  const valid = Boolean(line) && Number.isInteger(n) && n > 0 && n <= (line ? left(line) : 0);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid || !line) return;
    setBusy(true);
    try {
      const r = await endpoints.inspectReturn(props.r.returnId, {
        inspectionId,
        lines: [{ sku: line.sku, quantity: n, disposition }],
      });
      setInspectionId(newIdempotencyKey('insp'));
      setError(null);
      setQuantity('1');
      props.onDone(r);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  if (!line) return null;
  return (
    <Container header={<Header variant="h2">Inspect</Header>} data-testid="inspection">
      <form onSubmit={submit}>
        <SpaceBetween size="m">
          {error && <ApiErrorAlert error={error} />}
          <SpaceBetween direction="horizontal" size="m">
            <FormField label="SKU">
              <Select
                selectedOption={{ value: line.sku, label: `${line.sku} (${left(line)} to inspect)` }}
                onChange={({ detail }) => setSku(detail.selectedOption.value ?? '')}
                options={open.map((l) => ({ value: l.sku, label: `${l.sku} (${left(l)} to inspect)` }))}
                ariaLabel="SKU"
              />
            </FormField>
            <FormField label="Units" errorText={valid ? undefined : `1 to ${left(line)}`}>
              <Input
                type="number"
                value={quantity}
                onChange={({ detail }) => setQuantity(detail.value)}
                ariaLabel="Units"
              />
            </FormField>
            <FormField label="Disposition">
              <Select
                selectedOption={DISPOSITIONS.find((d) => d.value === disposition) ?? null}
                onChange={({ detail }) => setDisposition(detail.selectedOption.value as Disposition)}
                options={DISPOSITIONS}
                ariaLabel="Disposition"
              />
            </FormField>
          </SpaceBetween>
          <Button
            variant="primary"
            formAction="submit"
            loading={busy}
            disabled={!valid}
            data-testid="inspect-submit"
          >
            Record disposition
          </Button>
        </SpaceBetween>
      </form>
    </Container>
  );
}

async function loadReturn(returnId: string, signal: AbortSignal): Promise<ReturnView | undefined> {
  try {
    return await endpoints.getReturn(returnId, signal);
  } catch (error) {
    if ((error as ApiError).status === 404 && !(error as ApiError).notAvailable) return undefined;
    throw error;
  }
}

const RELOAD_WHILE_OPEN_MS = 3000;

/** One return: its decision, the lines with what came back and what became of it, the refund and the timeline. */
export default function ReturnDetail() {
  const { returnId = '' } = useParams();
  const user = useUser();
  const { notify } = useNotifications();
  const [refresh, setRefresh] = useState(0);
  const [deciding, setDeciding] = useState<'approve' | 'reject' | null>(null);
  const [commandError, setCommandError] = useState<ApiError | null>(null);
  usePage(`Return ${returnId}`, [
    { text: 'Returns', href: '/returns' },
    { text: returnId, href: `/returns/${encodeURIComponent(returnId)}` },
  ]);
  const ret = useResource(`return:${returnId}:${refresh}`, (signal) => loadReturn(returnId, signal));
  const r = ret.data;
  // The workflow moves a return on by itself (an issued refund completes it): the page reads it
  // again every few seconds until it reaches an end, so nobody has to press refresh.
  const { reload } = ret;
  useEffect(() => {
    if (!r || r.status === 'completed' || r.status === 'rejected') return;
    const timer = setTimeout(reload, RELOAD_WHILE_OPEN_MS);
    return () => clearTimeout(timer);
  }, [r, reload]);
  const changed = (label: string) => {
    setCommandError(null);
    notify({ type: 'success', header: label });
    setRefresh((n) => n + 1);
  };
  const command = (label: string, run: () => Promise<unknown>) => async () => {
    try {
      await run();
      changed(label);
    } catch (e) {
      setCommandError(e as ApiError);
    }
  };

  if (ret.loading && !r) return <Spinner size="large" />;
  if (ret.error) return <ApiErrorAlert error={ret.error} onRetry={ret.reload} what="load the return" />;
  if (!r) {
    return (
      <ContentLayout header={<Header variant="h1">Return</Header>}>
        <Container>
          <EmptyState
            title="Return not found"
            subtitle={`No return ${returnId} was found.`}
            action={<RouterLink href="/returns">All returns</RouterLink>}
          />
        </Container>
      </ContentLayout>
    );
  }
  const pending = r.status === 'requested' || r.status === 'pending_approval';
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={`Order ${r.orderId} · ${r.channelId}`}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button
                iconName="refresh"
                ariaLabel="Refresh"
                loading={ret.loading}
                onClick={() => setRefresh((n) => n + 1)}
              />
              {pending && can(user.roles, APPROVE) && (
                <>
                  <Button data-testid="reject-return" onClick={() => setDeciding('reject')}>
                    Reject
                  </Button>
                  <Button
                    variant="primary"
                    data-testid="approve-return"
                    onClick={() => setDeciding('approve')}
                  >
                    Approve
                  </Button>
                </>
              )}
              {r.refund.status === 'failed' && can(user.roles, RETRY) && (
                <Button
                  data-testid="retry-refund"
                  onClick={command('Refund requested again', () => endpoints.retryRefund(r.returnId))}
                >
                  Retry refund
                </Button>
              )}
              {r.refund.status === 'requested' && can(user.roles, REFUND) && (
                <>
                  <Button
                    data-testid="refund-failed"
                    onClick={command('Refund marked failed', () =>
                      endpoints.recordRefund(r.returnId, {
                        status: 'failed',
                        message: 'marked failed in the console',
                      }),
                    )}
                  >
                    Refund failed
                  </Button>
                  <Button
                    data-testid="refund-issued"
                    onClick={command('Refund marked issued', () =>
                      endpoints.recordRefund(r.returnId, { status: 'issued' }),
                    )}
                  >
                    Refund issued
                  </Button>
                </>
              )}
            </SpaceBetween>
          }
        >
          Return {r.returnId}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {commandError && <ApiErrorAlert error={commandError} />}
        <Container header={<Header variant="h2">Return</Header>} data-testid="return-summary">
          <KeyValuePairs
            columns={4}
            items={[
              { label: 'Status', value: <ReturnStatusIndicator status={r.status} /> },
              {
                label: 'Order',
                value: <RouterLink href={`/orders/${encodeURIComponent(r.orderId)}`}>{r.orderId}</RouterLink>,
              },
              { label: 'Value', value: formatMoney(r.value, r.refund.currency) },
              {
                label: 'Needs a supervisor',
                value: r.requiresSupervisor
                  ? [r.outsideWindow && 'outside the window', r.overThreshold && 'above the threshold']
                      .filter(Boolean)
                      .join(', ')
                  : 'No',
              },
              {
                label: 'Decision',
                value: r.decision ? `${r.decision.outcome} by ${r.decision.by}: ${r.decision.reason}` : '—',
              },
              { label: 'Received at', value: r.locationId ?? '—' },
              { label: 'Refund', value: <RefundStatusIndicator status={r.refund.status} /> },
              {
                label: 'Refund amount',
                value: `${formatMoney(r.refund.amount, r.refund.currency)}${r.refund.attempt > 1 ? ` (attempt ${r.refund.attempt})` : ''}`,
              },
              ...(r.exchange
                ? [
                    {
                      label: 'Exchange for',
                      value: r.exchange.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', '),
                    },
                  ]
                : []),
              ...(r.refund.message ? [{ label: 'Refund message', value: r.refund.message }] : []),
              // The channel's own id of the refund (Shopify, WooCommerce), to find it in their admin.
              ...(r.refund.reference ? [{ label: 'Channel refund', value: r.refund.reference }] : []),
            ]}
          />
        </Container>
        <Table<Line>
          data-testid="return-lines"
          variant="container"
          header={<Header counter={`(${r.lines.length})`}>Lines</Header>}
          items={r.lines}
          trackBy="sku"
          columnDefinitions={[
            {
              id: 'sku',
              header: 'SKU',
              isRowHeader: true,
              cell: (l) => <RouterLink href={`/inventory/${encodeURIComponent(l.sku)}`}>{l.sku}</RouterLink>,
            },
            {
              id: 'reason',
              header: 'Reason',
              cell: (l) => (l.quantity === 0 ? 'unexpected in the parcel' : (l.reason ?? '—')),
            },
            { id: 'authorised', header: 'Authorised', cell: (l) => formatNumber(l.quantity) },
            { id: 'received', header: 'Received', cell: (l) => formatNumber(l.received) },
            {
              id: 'dispositions',
              header: 'Dispositions',
              cell: (l) =>
                Object.entries(l.dispositions)
                  .map(([d, n]) => `${n} ${DISPOSITION_LABEL[d] ?? d}`)
                  .join(', ') || '—',
            },
            { id: 'left', header: 'To inspect', cell: (l) => formatNumber(left(l)) },
          ]}
        />
        {r.status === 'received' && can(user.roles, INSPECT) && (
          <Inspection r={r} onDone={() => changed('Disposition recorded')} />
        )}
        <Table<Entry>
          data-testid="return-timeline"
          variant="container"
          header={<Header>Timeline</Header>}
          items={r.timeline}
          columnDefinitions={[
            { id: 'at', header: 'When', cell: (t) => formatDateTime(t.at) },
            { id: 'what', header: 'What', cell: (t) => t.what },
            { id: 'by', header: 'By', cell: (t) => t.by ?? 'workflow' },
            { id: 'note', header: 'Note', cell: (t) => t.note ?? '' },
          ]}
          empty={<Box>No events yet.</Box>}
        />
      </SpaceBetween>
      {deciding && (
        <DecisionModal
          r={r}
          decision={deciding}
          onClose={() => setDeciding(null)}
          onDone={(next) => {
            setDeciding(null);
            changed(`Return ${next.status}`);
          }}
        />
      )}
    </ContentLayout>
  );
}
