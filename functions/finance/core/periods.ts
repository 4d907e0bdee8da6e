/** Monthly periods, `YYYY-MM`, in UTC. */
export const periodOf = (iso: string): string => iso.slice(0, 7);

export function nextPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The first instant after the period, as ISO text. */
export const periodEnd = (period: string): string => `${nextPeriod(period)}-01T00:00:00.000Z`;

/** How far a late posting may be pushed forward looking for an open period. */
const MAX_PERIODS_AHEAD = 120;

/**
 * The period a posting dated `postedAt` goes to: its own month when open, else the next open one,
 * with the closed month it belonged to (a late event, e.g. a shipment confirmed after the close).
 */
export async function postingPeriod(
  postedAt: string,
  isClosed: (period: string) => Promise<boolean>,
): Promise<{ period: string; lateFor?: string }> {
  const own = periodOf(postedAt);
  let period = own;
  for (let i = 0; i < MAX_PERIODS_AHEAD && (await isClosed(period)); i++) period = nextPeriod(period);
  return period === own ? { period } : { period, lateFor: own };
}
