import BarChart, { type BarChartProps } from '@cloudscape-design/components/bar-chart';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import { endpoints } from '../../api/endpoints.ts';
import type { OrderBacklog, OrderStatusName } from '../../api/types.ts';
import { useResource } from '../../app/use-resource.ts';
import { formatNumber } from '../../components/format.tsx';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';
import { STATUS_LABELS } from './order-queues.ts';

export const BACKLOG_ROUTE = 'GET /api/orders/backlog';

/** The statuses still owed to a customer, stacked in flow order. */
const OPEN: readonly OrderStatusName[] = [
  'received',
  'on_hold',
  'backordered',
  'released',
  'picking',
  'packed',
  'partially_shipped',
];

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const labelOf = (date: string) => dayLabel.format(new Date(`${date}T00:00:00Z`));

/**
 * The open orders at the end of each of the last days, stacked by status (the API replays each
 * order's status history). A backlog that grows day after day is work that is stuck.
 */
export function BacklogChart({ days = 14 }: { days?: number }) {
  const backlog = useResource<OrderBacklog>(`order-backlog:${days}`, (signal) =>
    endpoints.orderBacklog({ days }, signal),
  );
  const series: BarChartProps<string>['series'] = OPEN.map((status) => ({
    title: STATUS_LABELS[status],
    type: 'bar',
    data: (backlog.data?.days ?? []).map((d) => ({ x: labelOf(d.date), y: d.counts[status] ?? 0 })),
  }));
  const open = (backlog.data?.days ?? []).reduce(
    (n, d) => n + OPEN.reduce((m, s) => m + (d.counts[s] ?? 0), 0),
    0,
  );
  return (
    <Container
      data-testid="order-backlog"
      header={
        <Header
          variant="h2"
          description={`Orders not shipped or cancelled at the end of each day, by the status they were in then (last ${days} days${backlog.data?.truncated ? ', partial' : ''})`}
        >
          Open orders at the end of each day
        </Header>
      }
    >
      {backlog.error ? (
        <ApiErrorAlert error={backlog.error} onRetry={backlog.reload} what="load the backlog" />
      ) : (
        <BarChart
          series={open > 0 ? series : []}
          xDomain={(backlog.data?.days ?? []).map((d) => labelOf(d.date))}
          xScaleType="categorical"
          stackedBars
          height={220}
          xTitle="Day (UTC)"
          yTitle="Orders"
          statusType={backlog.loading ? 'loading' : 'finished'}
          loadingText="Loading the backlog"
          ariaLabel="Open orders at the end of each day, by status"
          empty={
            <EmptyState title="No open orders" subtitle="No order was waiting at the end of these days." />
          }
          i18nStrings={{ yTickFormatter: (y) => formatNumber(y) }}
        />
      )}
    </Container>
  );
}
