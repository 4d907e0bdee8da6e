import BarChart from '@cloudscape-design/components/bar-chart';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import { endpoints } from '../../api/endpoints.ts';
import type { IntakeExceptionSummary } from '../../api/types.ts';
import { useResource } from '../../app/use-resource.ts';
import { formatNumber } from '../../components/format.tsx';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';

const DAYS = 14;
const DAY_MS = 86_400_000;
/** One page per status, newest first: enough for two weeks of a healthy intake. */
const READ = 200;

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** The last DAYS UTC days, oldest first, as YYYY-MM-DD. */
function lastDays(now = Date.now(), days = DAYS): string[] {
  const today = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) =>
    new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10),
  );
}

/** How many of the items fall on each day, by the day of `at` (UTC). */
function perDay<T>(items: readonly T[], at: (item: T) => string, days: readonly string[]): number[] {
  const index = new Map(days.map((d, i) => [d, i]));
  const counts = days.map(() => 0);
  for (const item of items) {
    const i = index.get(at(item).slice(0, 10));
    if (i !== undefined) counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/**
 * Deliveries that could not become orders, per day received, still open or resolved since: a
 * channel that starts failing shows as a rising bar. Read from the exceptions list itself (the
 * latest 200 of each status), so no other route is needed.
 */
export function ExceptionsPerDay() {
  const data = useResource('intake:per-day', async (signal) => {
    const [open, resolved] = await Promise.all([
      endpoints.intakeExceptions({ status: 'open', limit: READ }, signal),
      endpoints.intakeExceptions({ status: 'resolved', limit: READ }, signal),
    ]);
    return { open, resolved };
  });
  const days = lastDays();
  const labels = days.map((d) => dayLabel.format(new Date(`${d}T00:00:00Z`)));
  const at = (x: IntakeExceptionSummary) => x.receivedAt;
  const open = perDay(data.data?.open.items ?? [], at, days);
  const resolved = perDay(data.data?.resolved.items ?? [], at, days);
  const any = [...open, ...resolved].some((n) => n > 0);
  const partial = Boolean(data.data?.open.nextCursor || data.data?.resolved.nextCursor);
  return (
    <Container
      data-testid="intake-per-day"
      header={
        <Header
          variant="h2"
          description={`Deliveries that could not become orders, by day received (UTC), last ${DAYS} days${partial ? `; the latest ${READ} of each status` : ''}`}
        >
          Exceptions per day
        </Header>
      }
    >
      {data.error ? (
        <ApiErrorAlert error={data.error} onRetry={data.reload} what="load exceptions per day" />
      ) : (
        <BarChart
          series={
            any
              ? [
                  { title: 'Still open', type: 'bar', data: labels.map((x, i) => ({ x, y: open[i] ?? 0 })) },
                  {
                    title: 'Resolved',
                    type: 'bar',
                    data: labels.map((x, i) => ({ x, y: resolved[i] ?? 0 })),
                  },
                ]
              : []
          }
          xDomain={labels}
          xScaleType="categorical"
          stackedBars
          height={180}
          xTitle="Day received"
          yTitle="Exceptions"
          statusType={data.loading ? 'loading' : 'finished'}
          loadingText="Loading exceptions"
          ariaLabel="Intake exceptions per day"
          empty={<EmptyState title="No exceptions in the last two weeks" />}
          i18nStrings={{ yTickFormatter: (y) => formatNumber(y) }}
        />
      )}
    </Container>
  );
}
