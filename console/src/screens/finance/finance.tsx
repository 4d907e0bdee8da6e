import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Multiselect from '@cloudscape-design/components/multiselect';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import type { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type {
  DatasetName,
  ExportRunView,
  PeriodView,
  Reconciliation,
  TrialBalance,
} from '../../api/types.ts';
import { can } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { formatDateTime } from '../../components/format.tsx';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';

const CLOSE = 'POST /api/finance/periods/{period}/close';
const EXPORT = 'POST /api/finance/exports';
const RUNS = 'GET /api/finance/exports';

type Account = TrialBalance['accounts'][number];
type Difference = Reconciliation['differences'][number];

/** Every exported dataset and its label (a Record, so a new dataset cannot be left off the screen). */
const DATASET_LABELS: Record<DatasetName, string> = {
  journal_lines: 'Journal lines',
  inventory_valuation: 'Inventory valuation',
  orders: 'Orders',
  shipments: 'Shipments',
  returns: 'Returns',
  channel_margin: 'Channel margin',
  kpis_daily: 'KPIs (daily)',
};
const DATASET_OPTIONS = (Object.entries(DATASET_LABELS) as [DatasetName, string][]).map(([value, label]) => ({
  value,
  label,
}));

const describe = (d: Difference): string => {
  switch (d.type) {
    case 'ordered_not_shipped':
      return `Order ${d.orderId}: ${d.units} unit(s) ordered, nothing shipped`;
    case 'entry_unbalanced':
      return `Entry ${d.entryId} does not balance`;
    case 'refund_without_receipt':
      return `Return ${d.returnId} was refunded but its parcel never reached finance as received`;
    default:
      return `Shipment of ${d.orderId ?? 'an unknown order'} posted cost without revenue (${d.reason === 'order_unknown' ? 'order never reached finance' : 'no price'})`;
  }
};

/**
 * The finance desk: a period's trial balance, the periods (closing ended ones), a day's
 * reconciliation with its differences, and the export runs (exporting the same day).
 */
export default function Finance() {
  usePage('Finance');
  const user = useUser();
  const { notify } = useNotifications();
  const [generation, setGeneration] = useState(0);
  const periods = useResource(`periods:${generation}`, (signal) => endpoints.listPeriods(signal));
  const [chosen, setChosen] = useState<string | null>(null);
  const period = chosen ?? periods.data?.items[0]?.period ?? null;
  const balance = useResource(period ? `tb:${period}:${generation}` : null, (signal) =>
    endpoints.trialBalance(period as string, signal),
  );
  const runs = useResource(can(user.roles, RUNS) ? `runs:${generation}` : null, (signal) =>
    endpoints.listExports(signal),
  );
  const [day, setDay] = useState(() => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
  const rec = useResource(/^\d{4}-\d{2}-\d{2}$/.test(day) ? `rec:${day}:${generation}` : null, (signal) =>
    endpoints.reconciliation(day, signal),
  );
  const [actionError, setActionError] = useState<ApiError | null>(null);
  // Every dataset unless some are picked.
  const [picked, setPicked] = useState<DatasetName[]>([]);

  const act = async (what: () => Promise<string>) => {
    setActionError(null);
    try {
      notify({ type: 'success', header: await what() });
      setGeneration((g) => g + 1);
    } catch (error) {
      setActionError(error as ApiError);
    }
  };
  const close = (p: string) =>
    act(async () => {
      await endpoints.closePeriod(p);
      return `Period ${p} closed`;
    });
  const exportDay = () =>
    act(async () => {
      const { runId } = await endpoints.requestExport({
        date: day,
        ...(picked.length ? { datasets: picked } : {}),
      });
      return `Export of ${day} requested (run ${runId})`;
    });

  const tb = balance.data;
  return (
    <ContentLayout header={<Header variant="h1">Finance</Header>}>
      <SpaceBetween size="l">
        {actionError && <ApiErrorAlert error={actionError} what="do that" />}
        <Table<Account>
          data-testid="trial-balance"
          loading={balance.loading}
          loadingText="Loading the trial balance"
          items={tb?.accounts ?? []}
          trackBy={(a) => `${a.account}:${a.currency}`}
          header={
            <Header
              variant="h2"
              description={
                tb
                  ? `${tb.entries} entries · ${tb.status} · ${tb.totals
                      .map((t) => `${t.currency} Dr ${t.debit} Cr ${t.credit}`)
                      .join(' · ')}`
                  : undefined
              }
              actions={
                <Select
                  selectedOption={period ? { value: period, label: period } : null}
                  options={(periods.data?.items ?? []).map((p) => ({ value: p.period, label: p.period }))}
                  onChange={(e) => setChosen(e.detail.selectedOption.value ?? null)}
                  ariaLabel="Period"
                />
              }
            >
              Trial balance{' '}
              {tb && (
                <StatusIndicator type={tb.balanced ? 'success' : 'error'}>
                  {tb.balanced ? 'balanced' : 'out of balance'}
                </StatusIndicator>
              )}
            </Header>
          }
          empty={
            balance.error ? (
              <ApiErrorAlert error={balance.error} onRetry={balance.reload} what="load the trial balance" />
            ) : (
              <EmptyState title="No postings" subtitle="Nothing was posted to this period." />
            )
          }
          columnDefinitions={[
            { id: 'account', header: 'Account', isRowHeader: true, cell: (a) => a.account },
            { id: 'name', header: 'Name', cell: (a) => a.name ?? '—' },
            { id: 'currency', header: 'Currency', cell: (a) => a.currency },
            { id: 'debit', header: 'Debit', cell: (a) => a.debit },
            { id: 'credit', header: 'Credit', cell: (a) => a.credit },
            { id: 'balance', header: 'Balance', cell: (a) => a.balance },
          ]}
        />
        {tb && tb.latePostings.length > 0 && (
          <Box variant="p" data-testid="late-postings">
            {tb.latePostings.length} late posting(s) from closed periods:{' '}
            {tb.latePostings.map((l) => `${l.sourceType} ${l.entryId} (${l.lateFor})`).join(', ')}
          </Box>
        )}
        <Table<PeriodView>
          data-testid="periods"
          loading={periods.loading}
          items={periods.data?.items ?? []}
          trackBy="period"
          header={<Header variant="h2">Periods</Header>}
          empty={
            periods.error ? (
              <ApiErrorAlert error={periods.error} onRetry={periods.reload} what="load the periods" />
            ) : (
              <EmptyState title="No periods" />
            )
          }
          columnDefinitions={[
            { id: 'period', header: 'Period', isRowHeader: true, cell: (p) => p.period },
            { id: 'status', header: 'Status', cell: (p) => p.status },
            {
              id: 'closed',
              header: 'Closed',
              cell: (p) => ('closedAt' in p ? `${formatDateTime(p.closedAt)} by ${p.closedBy}` : '—'),
            },
            {
              id: 'action',
              header: '',
              cell: (p) =>
                p.status === 'open' && can(user.roles, CLOSE) ? (
                  <Button variant="inline-link" onClick={() => close(p.period)}>
                    Close
                  </Button>
                ) : null,
            },
          ]}
        />
        <Table<Difference>
          data-testid="reconciliation"
          loading={rec.loading}
          items={rec.data?.differences ?? []}
          trackBy={(d) => JSON.stringify(d)}
          header={
            <Header
              variant="h2"
              description={
                rec.data
                  ? `${rec.data.orders.count} orders · ${rec.data.shipments.count} shipments · ${rec.data.postings.entries} entries · ${rec.data.refunds.count} refunds${rec.data.refunds.value.map((v) => ` (${v.currency} ${v.amount})`).join('')}`
                  : undefined
              }
              actions={<Input value={day} onChange={(e) => setDay(e.detail.value)} ariaLabel="Day" />}
            >
              Reconciliation
            </Header>
          }
          empty={
            rec.error ? (
              <ApiErrorAlert error={rec.error} onRetry={rec.reload} what="reconcile the day" />
            ) : (
              <EmptyState
                title="No differences"
                subtitle="Orders, shipments and postings agree for this day."
              />
            )
          }
          columnDefinitions={[{ id: 'difference', header: 'Difference', isRowHeader: true, cell: describe }]}
        />
        {can(user.roles, RUNS) && (
          <Table<ExportRunView>
            data-testid="export-runs"
            loading={runs.loading}
            items={runs.data?.items ?? []}
            trackBy="runId"
            header={
              <Header
                variant="h2"
                actions={
                  can(user.roles, EXPORT) && (
                    <SpaceBetween direction="horizontal" size="xs">
                      <Multiselect
                        selectedOptions={DATASET_OPTIONS.filter((o) => picked.includes(o.value))}
                        onChange={({ detail }) =>
                          setPicked(detail.selectedOptions.map((o) => o.value as DatasetName))
                        }
                        options={DATASET_OPTIONS}
                        placeholder="All datasets"
                        ariaLabel="Datasets"
                      />
                      <Button onClick={exportDay}>Export {day}</Button>
                    </SpaceBetween>
                  )
                }
              >
                Export runs
              </Header>
            }
            empty={
              runs.error ? (
                <ApiErrorAlert error={runs.error} onRetry={runs.reload} what="load the export runs" />
              ) : (
                <EmptyState title="No export runs" subtitle="The daily export runs at 01:30 UTC." />
              )
            }
            columnDefinitions={[
              { id: 'date', header: 'Day', isRowHeader: true, cell: (r) => r.date },
              { id: 'status', header: 'Status', cell: (r) => r.status },
              {
                id: 'datasets',
                header: 'Datasets',
                cell: (r) => (
                  <SpaceBetween size="xxxs">
                    {r.datasets.map((d) => (
                      <Box key={d.name} data-testid={`run-dataset-${d.name}`}>
                        {DATASET_LABELS[d.name] ?? d.name}: {d.rows ?? '—'} rows
                      </Box>
                    ))}
                  </SpaceBetween>
                ),
              },
              {
                id: 'requested',
                header: 'Requested',
                cell: (r) => `${formatDateTime(r.requestedAt)} by ${r.requestedBy}`,
              },
            ]}
          />
        )}
      </SpaceBetween>
    </ContentLayout>
  );
}
