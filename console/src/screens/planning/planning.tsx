import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FileUpload from '@cloudscape-design/components/file-upload';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import LineChart from '@cloudscape-design/components/line-chart';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import { useState } from 'react';
import type { ApiError } from '../../api/client.ts';
import {
  planningEndpoints as api,
  type SuggestionView,
  type SupplierPerformanceView,
} from '../../api/planning-endpoints.ts';
import { can } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { formatDateTime } from '../../components/format.tsx';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';

const RUN = 'POST /api/planning/runs';
const UPLOAD = 'POST /api/planning/demand-history';
const PLACE_PO = 'POST /api/purchase-orders';
const CREATE_TRANSFER = 'POST /api/transfers';

type RunView = Awaited<ReturnType<typeof api.runs>>['items'][number];

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)} %`;
const num = (x: number | null | undefined) => (x === null || x === undefined ? '—' : String(x));
const today = () => new Date().toISOString().slice(0, 10);
const plusDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Every number behind a suggestion, in one cell. */
function Inputs({ s }: { s: SuggestionView }) {
  const i = s.inputs;
  return (
    <Box variant="small">
      {i.dailyDemand}/day · lead {i.leadTimeDays} d · SS {i.safetyStock} · ROP {i.reorderPoint} · on hand{' '}
      {i.onHand} · incoming {i.incoming} · backordered {i.backordered}
    </Box>
  );
}

/** The draft PO a suggestion becomes: quantity and date prefilled, the unit cost the buyer's to give. */
function DraftPoModal(props: {
  suggestion: SuggestionView;
  onClose: () => void;
  onDone: (poId: string) => void;
}) {
  const s = props.suggestion;
  const [quantity, setQuantity] = useState(String(s.quantity));
  const [unitCost, setUnitCost] = useState('');
  const [expectedAt, setExpectedAt] = useState(plusDays(Math.ceil(s.inputs.leadTimeDays)));
  const [poId, setPoId] = useState(`PLAN-${s.sku}-${s.locationId}-${today()}`.slice(0, 64));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.createPurchaseOrder({
        poId,
        supplierId: s.supplierId as string,
        locationId: s.locationId,
        expectedAt,
        lines: [{ sku: s.sku, quantity: Number(quantity), unitCost }],
      });
      props.onDone(poId);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      visible
      onDismiss={props.onClose}
      header={`Purchase order for ${s.sku} at ${s.locationId}`}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={props.onClose}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} onClick={submit} data-testid="place-draft-po">
              Place PO with {s.supplierId}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <Form>
        <SpaceBetween size="s">
          {error && <ApiErrorAlert error={error} what="place the PO" />}
          <FormField label="PO id">
            <Input value={poId} onChange={(e) => setPoId(e.detail.value)} />
          </FormField>
          <FormField label="Quantity" description="Suggested, in the supplier's MOQ and case pack">
            <Input type="number" value={quantity} onChange={(e) => setQuantity(e.detail.value)} />
          </FormField>
          <FormField label="Unit cost" description="As text, e.g. 12.50">
            <Input
              value={unitCost}
              onChange={(e) => setUnitCost(e.detail.value)}
              data-testid="draft-po-unit-cost"
            />
          </FormField>
          <FormField label="Expected at" description="Today plus the supplier's lead time">
            <Input value={expectedAt} onChange={(e) => setExpectedAt(e.detail.value)} />
          </FormField>
        </SpaceBetween>
      </Form>
    </Modal>
  );
}

function Suggestions(props: { onPick: (sku: string, locationId: string) => void; generation: number }) {
  const user = useUser();
  const { notify } = useNotifications();
  const [type, setType] = useState<'po' | 'transfer'>('po');
  const [generation, setGeneration] = useState(0);
  const list = useResource(`suggestions:${type}:${props.generation}:${generation}`, (signal) =>
    api.suggestions(type, signal),
  );
  const [draft, setDraft] = useState<SuggestionView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const transfer = async (s: SuggestionView) => {
    setError(null);
    const transferId = `PLAN-${s.sku}-${s.fromLocationId}-${s.locationId}-${today()}`.slice(0, 64);
    try {
      await api.createTransfer({
        transferId,
        fromLocationId: s.fromLocationId as string,
        toLocationId: s.locationId,
        lines: [{ sku: s.sku, quantity: s.quantity }],
      });
      notify({ type: 'success', header: `Transfer ${transferId} created` });
      setGeneration((g) => g + 1);
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const table = (
    <Table<SuggestionView>
      data-testid={`suggestions-${type}`}
      loading={list.loading}
      items={list.data?.items ?? []}
      trackBy={(s) => `${s.sku}#${s.locationId}#${s.fromLocationId ?? ''}`}
      empty={
        list.error ? (
          <ApiErrorAlert error={list.error} onRetry={list.reload} what="load the suggestions" />
        ) : (
          <EmptyState title="Nothing to suggest" subtitle="Run planning to see what to buy or move." />
        )
      }
      columnDefinitions={[
        {
          id: 'sku',
          header: 'SKU',
          isRowHeader: true,
          cell: (s) => (
            <Button variant="inline-link" onClick={() => props.onPick(s.sku, s.locationId)}>
              {s.sku}
            </Button>
          ),
        },
        {
          id: 'where',
          header: type === 'po' ? 'Location' : 'From → to',
          cell: (s) => (s.fromLocationId ? `${s.fromLocationId} → ${s.locationId}` : s.locationId),
        },
        { id: 'quantity', header: 'Quantity', cell: (s) => s.quantity },
        ...(type === 'po'
          ? [{ id: 'supplier', header: 'Supplier', cell: (s: SuggestionView) => s.supplierId ?? '—' }]
          : []),
        { id: 'stockout', header: 'Stock-out', cell: (s) => s.stockoutDate ?? 'not within the horizon' },
        { id: 'inputs', header: 'Inputs', cell: (s) => <Inputs s={s} /> },
        {
          id: 'action',
          header: '',
          cell: (s) =>
            s.type === 'po' ? (
              can(user.roles, PLACE_PO) && s.supplierId ? (
                <Button onClick={() => setDraft(s)} data-testid="create-draft-po">
                  Create draft PO
                </Button>
              ) : null
            ) : can(user.roles, CREATE_TRANSFER) ? (
              <Button onClick={() => transfer(s)} data-testid="create-transfer">
                Create transfer
              </Button>
            ) : null,
        },
      ]}
    />
  );
  return (
    <Container header={<Header variant="h2">Suggestions</Header>}>
      <SpaceBetween size="s">
        {error && <ApiErrorAlert error={error} what="create the transfer" />}
        <Tabs
          activeTabId={type}
          onChange={(e) => setType(e.detail.activeTabId as 'po' | 'transfer')}
          tabs={[
            { id: 'po', label: 'Purchase orders', content: type === 'po' ? table : null },
            { id: 'transfer', label: 'Transfers', content: type === 'transfer' ? table : null },
          ]}
        />
      </SpaceBetween>
      {draft && (
        <DraftPoModal
          suggestion={draft}
          onClose={() => setDraft(null)}
          onDone={(poId) => {
            setDraft(null);
            notify({ type: 'success', header: `Purchase order ${poId} placed` });
            setGeneration((g) => g + 1);
          }}
        />
      )}
    </Container>
  );
}

/** History (last eight weeks) and forecast of one SKU at one location, and how the forecast did in its backtest. */
function ForecastChart(props: {
  sku: string;
  locationId: string;
  onChange: (sku: string, locationId: string) => void;
}) {
  const ready = props.sku !== '' && props.locationId !== '';
  const forecast = useResource(ready ? `fc:${props.sku}:${props.locationId}` : null, (signal) =>
    api.forecast(props.sku, props.locationId, signal),
  );
  const history = useResource(ready ? `hist:${props.sku}:${props.locationId}` : null, (signal) =>
    api.history(props.sku, props.locationId, signal),
  );
  const past = (history.data?.days ?? []).slice(-56);
  const ahead = forecast.data?.daily ?? [];
  const at = (d: string) => new Date(`${d}T00:00:00Z`);
  const fc = forecast.data;
  return (
    <Container
      header={
        <Header
          variant="h2"
          description={
            fc
              ? `${fc.method} (${fc.pattern} demand) · backtest WAPE ${pct(fc.backtest.wape)} vs seasonal naive ${pct(fc.backtest.baselineWape)}`
              : 'Pick a suggestion, or name a SKU and location'
          }
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Input
                value={props.sku}
                placeholder="SKU"
                ariaLabel="SKU"
                onChange={(e) => props.onChange(e.detail.value.trim(), props.locationId)}
              />
              <Input
                value={props.locationId}
                placeholder="Location"
                ariaLabel="Location"
                onChange={(e) => props.onChange(props.sku, e.detail.value.trim())}
              />
            </SpaceBetween>
          }
        >
          Forecast
        </Header>
      }
    >
      {forecast.error ? (
        <ApiErrorAlert error={forecast.error} what="load the forecast" />
      ) : (
        <LineChart
          data-testid="forecast-chart"
          statusType={forecast.loading || history.loading ? 'loading' : 'finished'}
          series={[
            {
              title: 'Demand',
              type: 'line',
              data: past.map((d) => ({ x: at(d.date), y: d.quantity })),
            },
            {
              title: 'Forecast',
              type: 'line',
              data: ahead.map((d) => ({ x: at(d.date), y: d.quantity })),
            },
          ]}
          xScaleType="time"
          xTitle="Day"
          yTitle="Units"
          height={240}
          hideFilter
          empty={
            <EmptyState title="No forecast" subtitle="This SKU and location have no planned forecast yet." />
          }
          i18nStrings={{ xTickFormatter: (d) => (d as Date).toISOString().slice(5, 10) }}
        />
      )}
    </Container>
  );
}

function Runs(props: { generation: number }) {
  const runs = useResource(`runs:${props.generation}`, (signal) => api.runs(signal));
  return (
    <Table<RunView>
      data-testid="planning-runs"
      loading={runs.loading}
      items={runs.data?.items ?? []}
      trackBy="runId"
      header={
        <Header
          variant="h2"
          description="Backtest: each series' last four weeks, the forecast beside seasonal naive"
        >
          Runs
        </Header>
      }
      empty={
        runs.error ? (
          <ApiErrorAlert error={runs.error} onRetry={runs.reload} what="load the runs" />
        ) : (
          <EmptyState title="No runs yet" />
        )
      }
      columnDefinitions={[
        { id: 'at', header: 'Requested', isRowHeader: true, cell: (r) => formatDateTime(r.requestedAt) },
        {
          id: 'status',
          header: 'Status',
          cell: (r) => (
            <StatusIndicator
              type={r.status === 'succeeded' ? 'success' : r.status === 'failed' ? 'error' : 'in-progress'}
            >
              {r.status}
              {r.runId === runs.data?.latestRunId ? ' · in force' : ''}
            </StatusIndicator>
          ),
        },
        { id: 'series', header: 'Series', cell: (r) => r.backtest.series },
        {
          id: 'wape',
          header: 'WAPE (baseline)',
          cell: (r) => `${pct(r.backtest.wape)} (${pct(r.backtest.baseline.wape)})`,
        },
        {
          id: 'bias',
          header: 'Bias (baseline)',
          cell: (r) => `${pct(r.backtest.bias)} (${pct(r.backtest.baseline.bias)})`,
        },
        {
          id: 'mase',
          header: 'MASE (baseline)',
          cell: (r) => `${num(r.backtest.mase)} (${num(r.backtest.baseline.mase)})`,
        },
        {
          id: 'suggestions',
          header: 'POs / transfers',
          cell: (r) => `${r.suggestions.po} / ${r.suggestions.transfer}`,
        },
      ]}
    />
  );
}

function SupplierTable() {
  const list = useResource('planning-suppliers', (signal) => api.suppliers(signal));
  return (
    <Table<SupplierPerformanceView>
      data-testid="supplier-performance"
      loading={list.loading}
      items={list.data?.items ?? []}
      trackBy="supplierId"
      header={<Header variant="h2">Supplier performance</Header>}
      empty={
        list.error ? (
          <ApiErrorAlert error={list.error} onRetry={list.reload} what="load supplier performance" />
        ) : (
          <EmptyState title="No suppliers" />
        )
      }
      columnDefinitions={[
        { id: 'name', header: 'Supplier', isRowHeader: true, cell: (s) => s.name },
        { id: 'pos', header: 'POs', cell: (s) => s.purchaseOrders },
        { id: 'otif', header: 'OTIF', cell: (s) => pct(s.otif) },
        { id: 'fill', header: 'Fill rate', cell: (s) => pct(s.fillRate) },
        {
          id: 'lead',
          header: 'Lead time (days)',
          cell: (s) =>
            s.leadTimeMeanDays === null
              ? `stated ${num(s.statedLeadTimeDays)}`
              : `${s.leadTimeMeanDays} ± ${num(s.leadTimeSdDays)}`,
        },
        { id: 'exceptions', header: 'Receiving exceptions', cell: (s) => s.receivingExceptions },
      ]}
    />
  );
}

function HistoryUpload() {
  const [files, setFiles] = useState<File[]>([]);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = async () => {
    const file = files[0];
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await api.uploadHistory(await file.text());
      setResult(
        `${r.rows} days of ${r.series} series taken (${r.from} to ${r.to}); days already there were replaced`,
      );
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const rows = ((error?.details as { issues?: { row: number; field: string; message: string }[] } | undefined)
    ?.issues ?? []) as { row: number; field: string; message: string }[];
  return (
    <Container header={<Header variant="h2">Demand history upload</Header>}>
      <SpaceBetween size="s">
        <FileUpload
          value={files}
          onChange={(e) => setFiles(e.detail.value)}
          accept=".csv,text/csv"
          constraintText="CSV with the header date,sku,locationId,quantity; a bad row refuses the whole file"
          i18nStrings={{
            uploadButtonText: () => 'Choose file',
            dropzoneText: () => 'Drop a CSV file',
            removeFileAriaLabel: () => 'Remove file',
            limitShowFewer: 'Show fewer',
            limitShowMore: 'Show more',
            errorIconAriaLabel: 'Error',
          }}
        />
        <Button onClick={upload} loading={busy} disabled={files.length === 0} data-testid="upload-history">
          Upload
        </Button>
        {result && <Alert type="success">{result}</Alert>}
        {error && rows.length === 0 && <ApiErrorAlert error={error} what="upload the history" />}
        {rows.length > 0 && (
          <Alert type="error" header={error?.message}>
            <ul data-testid="upload-issues">
              {rows.map((r) => (
                <li key={`${r.row}:${r.field}`}>
                  Row {r.row}, {r.field}: {r.message}
                </li>
              ))}
            </ul>
          </Alert>
        )}
      </SpaceBetween>
    </Container>
  );
}

/**
 * Planning: what to buy and what to move (every number behind it shown, one click to a draft PO
 * or a transfer), a SKU's forecast beside its recent demand, how the forecasts did in their
 * backtest, supplier performance, and the demand-history upload.
 */
export default function Planning() {
  usePage('Planning');
  const user = useUser();
  const { notify } = useNotifications();
  const [generation, setGeneration] = useState(0);
  const [pick, setPick] = useState({ sku: '', locationId: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const run = async () => {
    setError(null);
    try {
      const { runId } = await api.requestRun({});
      notify({ type: 'success', header: `Planning run ${runId} requested` });
      // The run is asynchronous: look again shortly.
      setTimeout(() => setGeneration((g) => g + 1), 2000);
      setGeneration((g) => g + 1);
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          actions={
            can(user.roles, RUN) ? (
              <Button variant="primary" onClick={run} data-testid="run-planning">
                Run planning
              </Button>
            ) : undefined
          }
        >
          Planning
        </Header>
      }
    >
      <SpaceBetween size="l">
        {error && <ApiErrorAlert error={error} what="start a run" />}
        <Suggestions generation={generation} onPick={(sku, locationId) => setPick({ sku, locationId })} />
        <ForecastChart
          sku={pick.sku}
          locationId={pick.locationId}
          onChange={(sku, locationId) => setPick({ sku, locationId })}
        />
        <Runs generation={generation} />
        <SupplierTable />
        {can(user.roles, UPLOAD) && <HistoryUpload />}
      </SpaceBetween>
    </ContentLayout>
  );
}
