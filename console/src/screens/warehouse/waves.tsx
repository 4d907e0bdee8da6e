import Badge from '@cloudscape-design/components/badge';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import type { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { Fulfillment, Wave, WaveView } from '../../api/types.ts';
import { can, isDeclared } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { useCursorList, useResource } from '../../app/use-resource.ts';
import { formatDateTime } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, EmptyState, NotAvailable } from '../../components/states.tsx';
import { cutoffIn, minutesLeft, useNow } from './cutoff.ts';
import { SiteSelect } from './site-select.tsx';
import { useSite } from './use-site.ts';

const WAVES = 'GET /api/waves';
const PLAN_WAVE = 'POST /api/waves';
const LIST_FULFILLMENTS = 'GET /api/fulfillments';
const SETTINGS = 'GET /api/fulfillment-settings/{locationId}';
/** The API's default pick rate when a location has none measured or set. */
const DEFAULT_UNITS_PER_MINUTE = 4;

const STATUS_OPTIONS = [
  { value: '', label: 'All statuses' },
  { value: 'released', label: 'Released' },
  { value: 'picking', label: 'Picking' },
  { value: 'picked', label: 'Picked' },
  { value: 'done', label: 'Done' },
  { value: 'cancelled', label: 'Cancelled' },
];

const WAVE_STATUS: Record<Wave['status'], StatusIndicatorProps.Type> = {
  released: 'pending',
  picking: 'in-progress',
  picked: 'success',
  done: 'success',
  cancelled: 'stopped',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const units = (f: Fulfillment) => f.lines.reduce((n, l) => n + l.quantity, 0);

/** Minutes left and whether the units still to pick fit in them at the location's pick rate. */
function Cutoff(props: { cutoffAt: string | undefined; now: number }) {
  if (!props.cutoffAt) return <Box color="text-body-secondary">No cutoff</Box>;
  const left = minutesLeft(props.cutoffAt, props.now);
  return (
    <SpaceBetween size="xxxs">
      <Box
        fontWeight="bold"
        color={left < 0 ? 'text-status-error' : left < 30 ? 'text-status-warning' : 'inherit'}
      >
        {cutoffIn(left)}
      </Box>
      <Box variant="small" color="text-body-secondary">
        {formatDateTime(props.cutoffAt)}
      </Box>
    </SpaceBetween>
  );
}

/**
 * The waves board of one location: fulfillments ready to wave by cutoff (at-risk ones flagged),
 * "Plan wave" for supervisors, and the waves with their cutoff countdown and pick progress.
 */
export default function Waves() {
  usePage('Waves', [{ text: 'Warehouse', href: '/warehouse' }]);
  const user = useUser();
  const { notify } = useNotifications();
  const [site, setSite] = useSite();
  const [status, setStatus] = useState('');
  const [planning, setPlanning] = useState(false);
  const [planError, setPlanError] = useState<ApiError | null>(null);
  const [generation, setGeneration] = useState(0);
  const now = useNow(15_000);

  const settings = useResource(site && can(user.roles, SETTINGS) ? `settings:${site}` : null, (signal) =>
    endpoints.getFulfillmentSettings(site as string, signal),
  );
  const rate = settings.data?.unitsPerMinute ?? DEFAULT_UNITS_PER_MINUTE;

  const ready = useResource(
    site && isDeclared(LIST_FULFILLMENTS) ? `ready:${site}:${generation}` : null,
    async (signal) => {
      const page = await endpoints.listFulfillments(
        { locationId: site as string, status: 'released' },
        signal,
      );
      return [...page.items].sort(
        (a, b) =>
          Number(!!b.atRisk) - Number(!!a.atRisk) ||
          (a.cutoffAt ?? '~').localeCompare(b.cutoffAt ?? '~') ||
          b.priority - a.priority,
      );
    },
  );
  const waves = useCursorList<Wave>(
    site && isDeclared(WAVES) ? `waves:${site}:${status}:${generation}` : null,
    (cursor, signal) =>
      endpoints.listWaves(
        { locationId: site as string, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) },
        signal,
      ),
  );
  // Progress needs each wave's tasks: one request per wave on the page.
  const waveIds = waves.items.map((w) => w.waveId);
  const details = useResource<Map<string, WaveView>>(
    waveIds.length ? `wave-details:${waveIds.join(',')}:${generation}` : null,
    async (signal) =>
      new Map(
        (await Promise.all(waveIds.map((id) => endpoints.getWave(id, signal)))).map((w) => [w.waveId, w]),
      ),
  );

  const plan = async () => {
    if (!site) return;
    setPlanning(true);
    setPlanError(null);
    try {
      const result = await endpoints.planWave({ locationId: site });
      if (result.waveId) {
        notify({
          type: 'success',
          header: `Wave ${result.waveId} planned`,
          content: `${plural(result.fulfillmentIds.length, 'order')}, ${plural(result.taskCount, 'pick task')}${result.cutoffAt ? `, cutoff ${formatDateTime(result.cutoffAt)}` : ''}.`,
        });
      } else {
        notify({ type: 'info', header: `Nothing ready to wave at ${site}` });
      }
      setGeneration((g) => g + 1);
    } catch (error) {
      setPlanError(error as ApiError);
    }
    setPlanning(false);
  };

  if (!isDeclared(WAVES)) {
    return (
      <ContentLayout header={<Header variant="h1">Waves</Header>}>
        <NotAvailable route={WAVES} />
      </ContentLayout>
    );
  }

  const readyItems = ready.data ?? [];
  const atRisk = readyItems.filter((f) => f.atRisk).length;
  const progressOf = (w: Wave) => {
    const tasks = details.data?.get(w.waveId)?.tasks;
    if (!tasks) return undefined;
    return {
      picked: tasks.reduce((n, t) => n + t.pickedQuantity, 0),
      total: tasks.reduce((n, t) => n + t.quantity, 0),
      short: tasks.filter((t) => t.status === 'short').length,
      open: tasks.filter((t) => t.status === 'open' || t.status === 'claimed'),
    };
  };

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Work released to the floor, grouped by carrier cutoff and priority."
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button iconName="refresh" ariaLabel="Refresh" onClick={() => setGeneration((g) => g + 1)} />
              {can(user.roles, PLAN_WAVE) && (
                <Button
                  variant="primary"
                  loading={planning}
                  disabled={!site}
                  onClick={() => void plan()}
                  data-testid="plan-wave"
                >
                  Plan wave
                </Button>
              )}
            </SpaceBetween>
          }
        >
          Waves
        </Header>
      }
    >
      <SpaceBetween size="l">
        <Box>
          <div style={{ maxWidth: 360 }}>
            <SiteSelect value={site} onChange={setSite} />
          </div>
        </Box>
        {planError && <ApiErrorAlert error={planError} what="plan a wave" />}
        {!site ? (
          <EmptyState title="Choose a location" subtitle="Or set My site in the top bar." />
        ) : (
          <>
            <Table<Fulfillment>
              data-testid="ready-table"
              variant="container"
              loading={ready.loading && !ready.data}
              loadingText="Loading fulfillments"
              items={readyItems}
              trackBy="fulfillmentId"
              header={
                <Header
                  counter={ready.data ? `(${readyItems.length})` : undefined}
                  description={
                    atRisk > 0 ? (
                      <Box color="text-status-error" fontWeight="bold" data-testid="at-risk-count">
                        {atRisk} at risk of missing the cutoff
                      </Box>
                    ) : (
                      'Released orders waiting for a wave, earliest cutoff first.'
                    )
                  }
                >
                  Ready to wave
                </Header>
              }
              empty={
                ready.error ? (
                  <ApiErrorAlert error={ready.error} onRetry={ready.reload} what="load the fulfillments" />
                ) : (
                  <EmptyState title="Nothing waiting" subtitle={`No released orders at ${site}.`} />
                )
              }
              columnDefinitions={[
                {
                  id: 'order',
                  header: 'Order',
                  cell: (f) => (
                    <RouterLink href={`/orders/${encodeURIComponent(f.orderId)}`}>
                      {f.externalId ?? f.orderId}
                    </RouterLink>
                  ),
                  isRowHeader: true,
                },
                { id: 'service', header: 'Service level', cell: (f) => f.serviceLevel },
                { id: 'units', header: 'Units', cell: units },
                { id: 'cutoff', header: 'Cutoff', cell: (f) => <Cutoff cutoffAt={f.cutoffAt} now={now} /> },
                {
                  id: 'risk',
                  header: 'Risk',
                  cell: (f) => (f.atRisk ? <Badge color="red">At risk</Badge> : '—'),
                },
              ]}
            />

            <Table<Wave>
              data-testid="waves-table"
              variant="container"
              loading={waves.loading && waves.items.length === 0}
              loadingText="Loading waves"
              items={waves.items}
              trackBy="waveId"
              header={
                <Header
                  actions={
                    <div style={{ minWidth: 180 }}>
                      <Select
                        selectedOption={STATUS_OPTIONS.find((o) => o.value === status) ?? null}
                        onChange={({ detail }) => setStatus(detail.selectedOption.value ?? '')}
                        options={STATUS_OPTIONS}
                        ariaLabel="Wave status"
                      />
                    </div>
                  }
                >
                  Waves
                </Header>
              }
              pagination={<Pagination {...waves.pagination} />}
              empty={
                waves.error ? (
                  <ApiErrorAlert error={waves.error} onRetry={waves.reload} what="load the waves" />
                ) : (
                  <EmptyState
                    title="No waves"
                    subtitle={can(user.roles, PLAN_WAVE) ? 'Plan one above.' : undefined}
                  />
                )
              }
              columnDefinitions={[
                {
                  id: 'wave',
                  header: 'Wave',
                  cell: (w) => (
                    <RouterLink href={`/warehouse/pick?wave=${encodeURIComponent(w.waveId)}`}>
                      {w.waveId}
                    </RouterLink>
                  ),
                  isRowHeader: true,
                },
                {
                  id: 'status',
                  header: 'Status',
                  cell: (w) => (
                    <StatusIndicator type={WAVE_STATUS[w.status] ?? 'info'}>{w.status}</StatusIndicator>
                  ),
                },
                { id: 'cutoff', header: 'Cutoff', cell: (w) => <Cutoff cutoffAt={w.cutoffAt} now={now} /> },
                { id: 'orders', header: 'Orders', cell: (w) => w.fulfillmentIds.length },
                {
                  id: 'progress',
                  header: 'Picked',
                  minWidth: 180,
                  cell: (w) => {
                    const p = progressOf(w);
                    if (!p)
                      return details.loading ? (
                        <StatusIndicator type="loading">Loading</StatusIndicator>
                      ) : (
                        '—'
                      );
                    return (
                      <ProgressBar
                        value={p.total ? (p.picked / p.total) * 100 : 100}
                        description={`${p.picked} of ${p.total} units${p.short ? ` · ${p.short} short` : ''}`}
                        ariaLabel={`Wave ${w.waveId} picked`}
                      />
                    );
                  },
                },
                {
                  id: 'risk',
                  header: 'Cutoff risk',
                  cell: (w) => {
                    const p = progressOf(w);
                    if (!w.cutoffAt || !p || p.open.length === 0) return '—';
                    const left = minutesLeft(w.cutoffAt, now);
                    const needed = Math.ceil((p.total - p.picked) / rate);
                    return needed > left ? (
                      <Badge color="red">At risk: {needed} min of picking left</Badge>
                    ) : (
                      <Box color="text-status-success">On time</Box>
                    );
                  },
                },
              ]}
            />
          </>
        )}
      </SpaceBetween>
    </ContentLayout>
  );
}
