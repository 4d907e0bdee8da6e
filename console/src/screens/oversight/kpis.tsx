import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import DatePicker from '@cloudscape-design/components/date-picker';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import LineChart from '@cloudscape-design/components/line-chart';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import type { KpiName, KpiReport } from '../../../../functions/oversight/api.ts';
import { oversightEndpoints } from '../../api/oversight-endpoints.ts';
import { usePage } from '../../app/chrome.tsx';
import { useResource } from '../../app/use-resource.ts';
import { formatNumber } from '../../components/format.tsx';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';

const DAY_MS = 86_400_000;
const ALL = '';
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);

const LABELS: Record<KpiName, string> = {
  inventoryAccuracy: 'Inventory accuracy',
  orderCycleTimeHours: 'Order cycle time',
  perfectOrderRate: 'Perfect order rate',
  fillRate: 'Fill rate',
  dockToStockHours: 'Dock-to-stock time',
  inventoryTurns: 'Inventory turns (annualised, units)',
  backorderAgeHours: 'Backorder age at release',
  stockOuts: 'Stock-outs',
};
const RATES: KpiName[] = ['inventoryAccuracy', 'perfectOrderRate', 'fillRate'];
const HOURS: KpiName[] = ['orderCycleTimeHours', 'dockToStockHours', 'backorderAgeHours'];

const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
const hours = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} h`);
const shown = (k: KpiName, v: number | null): string =>
  RATES.includes(k) ? percent(v) : HOURS.includes(k) ? hours(v) : v === null ? '—' : formatNumber(v);

/** A day's point, at UTC midnight; days with nothing to measure leave a gap rather than a zero. */
const points = (series: { date: string; value: number | null }[], scale = 1) =>
  series.flatMap((p) =>
    p.value === null ? [] : [{ x: new Date(`${p.date}T00:00:00Z`), y: p.value * scale }],
  );

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

function Trend(props: {
  title: string;
  description: string;
  series: { title: string; data: { x: Date; y: number }[] }[];
  yTitle: string;
  yFormat: (y: number) => string;
  loading: boolean;
  testId: string;
  /** The days asked for, so every chart spans the same days whatever each has data on. */
  days: [Date, Date] | undefined;
}) {
  // No points at all: the empty state, not an axis of nothing.
  const series = props.series.some((s) => s.data.length > 0) ? props.series : [];
  return (
    <Container
      data-testid={props.testId}
      header={
        <Header variant="h2" description={props.description}>
          {props.title}
        </Header>
      }
    >
      <LineChart
        series={series.map((s) => ({ ...s, type: 'line' as const, valueFormatter: props.yFormat }))}
        xScaleType="time"
        {...(props.days ? { xDomain: props.days } : {})}
        height={220}
        xTitle="Day"
        yTitle={props.yTitle}
        hideFilter
        statusType={props.loading ? 'loading' : 'finished'}
        loadingText="Loading the KPIs"
        ariaLabel={props.title}
        empty={<EmptyState title="Nothing measured" subtitle="No events for these days and this location." />}
        i18nStrings={{ xTickFormatter: (x) => dayLabel.format(x), yTickFormatter: props.yFormat }}
      />
    </Container>
  );
}

/**
 * KPIs per day: trends over the chosen days for one location or all, with the range's own figure
 * (the ratio of its sums) beside each. Charts, since people compare days, not read cells.
 */
export default function Kpis() {
  usePage('KPIs');
  const [to, setTo] = useState(() => isoDay(Date.now()));
  const [from, setFrom] = useState(() => isoDay(Date.now() - 13 * DAY_MS));
  const [locationId, setLocationId] = useState(ALL);
  const locations = useResource('locations', (signal) => oversightEndpoints.locations(signal));
  const valid = isDay(from) && isDay(to) && from <= to;
  const report = useResource(valid ? `kpis:${from}:${to}:${locationId}` : null, (signal) =>
    oversightEndpoints.kpis({ from, to, ...(locationId ? { locationId } : {}) }, signal),
  );
  const data: KpiReport | undefined = report.data;
  const loading = report.loading && !data;
  const options = [
    { value: ALL, label: 'All locations' },
    ...(locations.data ?? []).map((l) => ({ value: l.locationId, label: l.name ?? l.locationId })),
  ];
  const preset = (days: number) => {
    const end = isoDay(Date.now());
    setTo(end);
    setFrom(isoDay(Date.parse(`${end}T00:00:00Z`) - (days - 1) * DAY_MS));
  };
  const presetValue = ['7', '14', '30', '90'].find(
    (d) =>
      to === isoDay(Date.now()) && from === isoDay(Date.parse(`${to}T00:00:00Z`) - (Number(d) - 1) * DAY_MS),
  );
  const days: [Date, Date] | undefined = data
    ? [new Date(`${data.from}T00:00:00Z`), new Date(`${data.to}T00:00:00Z`)]
    : undefined;
  const series = (names: KpiName[], scale = 1) =>
    data ? names.map((k) => ({ title: LABELS[k], data: points(data.series[k], scale) })) : [];

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Per day and location, from the orders, shipments, receipts and counts as they happen."
        >
          KPIs
        </Header>
      }
    >
      <SpaceBetween size="l">
        <Container>
          <ColumnLayout columns={4}>
            <FormField label="Location">
              <Select
                selectedOption={options.find((o) => o.value === locationId) ?? options[0]!}
                options={options}
                onChange={({ detail }) => setLocationId(detail.selectedOption.value ?? ALL)}
                ariaLabel="Location"
              />
            </FormField>
            <FormField label="From" errorText={valid ? undefined : 'From must be a day on or before To'}>
              <DatePicker
                value={from}
                onChange={({ detail }) => setFrom(detail.value)}
                placeholder="YYYY/MM/DD"
              />
            </FormField>
            <FormField label="To">
              <DatePicker
                value={to}
                onChange={({ detail }) => setTo(detail.value)}
                placeholder="YYYY/MM/DD"
              />
            </FormField>
            <FormField label="Last">
              <SegmentedControl
                selectedId={presetValue ?? null}
                onChange={({ detail }) => preset(Number(detail.selectedId))}
                label="Last days"
                options={['7', '14', '30', '90'].map((d) => ({ id: d, text: `${d} d` }))}
              />
            </FormField>
          </ColumnLayout>
        </Container>
        {report.error && <ApiErrorAlert error={report.error} onRetry={report.reload} what="load the KPIs" />}
        {data && (
          <Container header={<Header variant="h2">Over the range</Header>} data-testid="kpi-summary">
            <KeyValuePairs
              columns={4}
              items={(Object.keys(LABELS) as KpiName[]).map((k) => ({
                label: LABELS[k],
                value: shown(k, data.summary[k]),
              }))}
            />
          </Container>
        )}
        <Trend
          testId="kpi-rates"
          title="Accuracy, perfect orders, fill rate"
          description="Counted lines within tolerance; orders shipped complete, within 48 h, without a short pick and not returned; units filled from stock at once."
          series={series(RATES, 100)}
          yTitle="%"
          yFormat={(y) => `${y.toFixed(0)} %`}
          loading={loading}
          days={days}
        />
        <Trend
          testId="kpi-times"
          title="Cycle, dock-to-stock and backorder times"
          description="Order received → shipped; first dock scan → put away; backordered → released."
          series={series(HOURS)}
          yTitle="Hours"
          yFormat={(y) => `${y.toFixed(1)} h`}
          loading={loading}
          days={days}
        />
        <Trend
          testId="kpi-stock"
          title="Stock-outs and inventory turns"
          description="Positions emptied and order lines backordered; units shipped per year over units on hand."
          series={series(['stockOuts', 'inventoryTurns'])}
          yTitle="Count / turns"
          yFormat={(y) => formatNumber(Math.round(y * 10) / 10)}
          loading={loading}
          days={days}
        />
        <Trend
          testId="kpi-margin"
          title="Gross margin by channel"
          description={
            data && data.grossMarginByChannel.length > 0
              ? data.grossMarginByChannel
                  .map(
                    (c) =>
                      `${c.channelId}: ${percent(c.marginRate)} of ${formatNumber(c.revenueMinor / 100)}`,
                  )
                  .join(' · ')
              : 'Revenue of the units shipped minus their average received cost, per channel (minor units ÷ 100).'
          }
          series={(data?.grossMarginByChannel ?? []).map((c) => ({
            title: c.channelId,
            data: c.daily.map((d) => ({ x: new Date(`${d.date}T00:00:00Z`), y: d.marginMinor / 100 })),
          }))}
          yTitle="Margin"
          yFormat={(y) => formatNumber(Math.round(y))}
          loading={loading}
          days={days}
        />
      </SpaceBetween>
    </ContentLayout>
  );
}
