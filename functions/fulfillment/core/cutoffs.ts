import { TZDate } from '@date-fns/tz';
import type { Carrier } from '../schemas/fulfillment.ts';

/** The carrier pickup a fulfillment must be packed for. */
export interface NextCutoff {
  /** ISO instant, UTC. */
  cutoffAt: string;
  carrierId: string;
  serviceCode: string;
}

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
/** A week and a day: every weekday pattern has an occurrence within it, whatever `now` is. */
const DAYS_LOOKED_AHEAD = 8;

/**
 * The earliest carrier cutoff at or after `now` for a service level at a location: among the
 * services whose `serviceLevels` include `serviceLevel` and that have a cutoff at `locationId`,
 * on one of the cutoff's ISO weekdays (1 = Monday … 7 = Sunday; all when absent), at its `HH:mm`
 * in the location's IANA `timeZone`. Undefined when no service matches.
 *
 * Wall-clock time is kept across DST changes (17:00 is 17:00 local on both sides). A time that
 * does not exist on a spring-forward day moves forward by the gap (02:30 → 03:30); one that occurs
 * twice on a fall-back day is the first occurrence. Ties go to the lowest carrierId, then service code.
 * An unknown zone is read as UTC (locations validate their zone when they are written).
 */
export function nextCutoff(
  carriers: readonly Carrier[],
  locationId: string,
  serviceLevel: string,
  timeZone: string,
  now: Date,
): NextCutoff | undefined {
  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  // Today's date as the location sees it: the day the search starts from.
  const local = new TZDate(now.getTime(), zone);
  const today = { year: local.getFullYear(), month: local.getMonth(), day: local.getDate() };

  let best: { at: number; carrierId: string; serviceCode: string } | undefined;
  for (const carrier of carriers) {
    for (const service of carrier.services) {
      if (!service.serviceLevels.includes(serviceLevel)) continue;
      for (const cutoff of service.cutoffs) {
        if (cutoff.locationId !== locationId) continue;
        const at = firstOccurrence(cutoff.time, cutoff.days ?? EVERY_DAY, today, zone, now.getTime());
        if (at === undefined) continue;
        const candidate = { at, carrierId: carrier.carrierId, serviceCode: service.code };
        if (!best || compare(candidate, best) < 0) best = candidate;
      }
    }
  }
  return (
    best && {
      cutoffAt: new Date(best.at).toISOString(),
      carrierId: best.carrierId,
      serviceCode: best.serviceCode,
    }
  );
}

/** The first instant at or after `nowMs` when the local clock shows `time` on an allowed weekday. */
function firstOccurrence(
  time: string,
  days: readonly number[],
  today: { year: number; month: number; day: number },
  zone: string,
  nowMs: number,
): number | undefined {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  for (let offset = 0; offset < DAYS_LOOKED_AHEAD; offset++) {
    // Calendar arithmetic on the local date alone (UTC has no DST): the weekday of that date.
    const date = new Date(Date.UTC(today.year, today.month, today.day + offset));
    const isoWeekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
    if (!days.includes(isoWeekday)) continue;
    const at = new TZDate(
      date.getUTCFullYear(),
      date.getUTCMonth(),
      date.getUTCDate(),
      hours,
      minutes,
      zone,
    ).getTime();
    if (at >= nowMs) return at;
  }
  return undefined;
}

function compare(
  a: { at: number; carrierId: string; serviceCode: string },
  b: { at: number; carrierId: string; serviceCode: string },
): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.carrierId !== b.carrierId) return a.carrierId < b.carrierId ? -1 : 1;
  if (a.serviceCode !== b.serviceCode) return a.serviceCode < b.serviceCode ? -1 : 1;
  return 0;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
