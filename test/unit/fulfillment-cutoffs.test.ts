import { describe, expect, it } from 'vitest';
import { nextCutoff } from '../../functions/fulfillment/core/cutoffs.ts';
import type { Carrier } from '../../functions/fulfillment/schemas/fulfillment.ts';

/**
 * Carrier cutoffs are wall-clock times at a site: 17:00 in New York is 21:00 UTC in summer and
 * 22:00 UTC in winter. These dates straddle the 2026 DST changes:
 * - America/New_York: spring forward Sun 8 Mar (02:00 → 03:00), fall back Sun 1 Nov (02:00 → 01:00);
 * - Europe/Berlin: spring forward Sun 29 Mar (02:00 → 03:00), fall back Sun 25 Oct (03:00 → 02:00).
 */

type Cutoff = Carrier['services'][number]['cutoffs'][number];

const carrier = (
  carrierId: string,
  services: { code: string; serviceLevels: string[]; cutoffs: Cutoff[] }[],
): Carrier => ({
  carrierId,
  name: carrierId,
  services,
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'test',
});

const ground = (cutoffs: Cutoff[]) => carrier('ups', [{ code: 'GND', serviceLevels: ['standard'], cutoffs }]);
const at = (iso: string) => new Date(iso);

describe('nextCutoff', () => {
  it('keeps 17:00 New York time across the spring-forward change', () => {
    const carriers = [ground([{ locationId: 'NYC', time: '17:00' }])];
    // Saturday 7 Mar, 18:00 EST: today's cutoff passed, Sunday's is after the change (EDT, UTC-4).
    expect(nextCutoff(carriers, 'NYC', 'standard', 'America/New_York', at('2026-03-07T23:00:00Z'))).toEqual({
      cutoffAt: '2026-03-08T21:00:00.000Z',
      carrierId: 'ups',
      serviceCode: 'GND',
    });
    // Saturday morning: still on standard time (UTC-5).
    expect(
      nextCutoff(carriers, 'NYC', 'standard', 'America/New_York', at('2026-03-07T15:00:00Z'))?.cutoffAt,
    ).toBe('2026-03-07T22:00:00.000Z');
  });

  it('keeps 17:00 New York time across the fall-back change', () => {
    const carriers = [ground([{ locationId: 'NYC', time: '17:00' }])];
    // Saturday 31 Oct, 17:30 EDT (past the cutoff) → Sunday 1 Nov 17:00 EST.
    expect(
      nextCutoff(carriers, 'NYC', 'standard', 'America/New_York', at('2026-10-31T21:30:00Z'))?.cutoffAt,
    ).toBe('2026-11-01T22:00:00.000Z');
  });

  it('keeps Berlin wall-clock time on both sides of its changes', () => {
    const carriers = [ground([{ locationId: 'BER', time: '16:30' }])];
    // Sat 28 Mar 17:00 CET → Sun 29 Mar 16:30 CEST (UTC+2).
    expect(
      nextCutoff(carriers, 'BER', 'standard', 'Europe/Berlin', at('2026-03-28T16:00:00Z'))?.cutoffAt,
    ).toBe('2026-03-29T14:30:00.000Z');
    // Sat 24 Oct 17:00 CEST → Sun 25 Oct 16:30 CET (UTC+1).
    expect(
      nextCutoff(carriers, 'BER', 'standard', 'Europe/Berlin', at('2026-10-24T15:00:00Z'))?.cutoffAt,
    ).toBe('2026-10-25T15:30:00.000Z');
  });

  it('moves a cutoff that falls in the spring-forward gap to just after it', () => {
    const carriers = [ground([{ locationId: 'NYC', time: '02:30' }])];
    // 02:30 does not exist on 8 Mar in New York: the clock reads 03:30 EDT one hour after 01:30 EST.
    expect(
      nextCutoff(carriers, 'NYC', 'standard', 'America/New_York', at('2026-03-08T05:00:00Z'))?.cutoffAt,
    ).toBe('2026-03-08T07:30:00.000Z');
  });

  it('rolls a passed cutoff to the next allowed weekday, across a DST change', () => {
    // Weekdays only. Friday 6 Mar 18:00 EST is past Friday's cutoff: Monday 9 Mar 17:00 EDT is next.
    const carriers = [ground([{ locationId: 'NYC', time: '17:00', days: [1, 2, 3, 4, 5] }])];
    expect(
      nextCutoff(carriers, 'NYC', 'standard', 'America/New_York', at('2026-03-06T23:00:00Z'))?.cutoffAt,
    ).toBe('2026-03-09T21:00:00.000Z');
    // Sunday only, asked on a Sunday after the cutoff: a week later.
    const sundays = [ground([{ locationId: 'NYC', time: '12:00', days: [7] }])];
    expect(
      nextCutoff(sundays, 'NYC', 'standard', 'America/New_York', at('2026-03-01T18:00:00Z'))?.cutoffAt,
    ).toBe('2026-03-08T16:00:00.000Z');
  });

  it('reads the weekday in the location’s zone, not in UTC', () => {
    // 03:00 UTC on Saturday 7 Mar is still Friday evening in New York: Friday's 23:30 cutoff counts.
    const carriers = [ground([{ locationId: 'NYC', time: '23:30', days: [5] }])];
    expect(
      nextCutoff(carriers, 'NYC', 'standard', 'America/New_York', at('2026-03-07T03:00:00Z'))?.cutoffAt,
    ).toBe('2026-03-07T04:30:00.000Z');
  });

  it('takes a cutoff at exactly now, and the earliest among matching services and carriers', () => {
    const carriers = [
      carrier('ups', [
        { code: 'GND', serviceLevels: ['standard'], cutoffs: [{ locationId: 'NYC', time: '18:00' }] },
        { code: 'NDA', serviceLevels: ['overnight'], cutoffs: [{ locationId: 'NYC', time: '15:00' }] },
      ]),
      carrier('fedex', [
        {
          code: 'HOME',
          serviceLevels: ['standard', 'expedited'],
          cutoffs: [
            { locationId: 'LAX', time: '12:00' },
            { locationId: 'NYC', time: '16:00' },
          ],
        },
      ]),
    ];
    const noonNy = at('2026-06-10T16:00:00Z');
    expect(nextCutoff(carriers, 'NYC', 'standard', 'America/New_York', noonNy)).toEqual({
      cutoffAt: '2026-06-10T20:00:00.000Z',
      carrierId: 'fedex',
      serviceCode: 'HOME',
    });
    expect(nextCutoff(carriers, 'NYC', 'overnight', 'America/New_York', noonNy)?.serviceCode).toBe('NDA');
    expect(
      nextCutoff(carriers, 'NYC', 'standard', 'America/New_York', at('2026-06-10T20:00:00Z'))?.cutoffAt,
    ).toBe('2026-06-10T20:00:00.000Z');
  });

  it('answers undefined when no service serves the level at the location', () => {
    const carriers = [ground([{ locationId: 'NYC', time: '17:00' }])];
    const now = at('2026-06-10T12:00:00Z');
    expect(nextCutoff(carriers, 'NYC', 'overnight', 'America/New_York', now)).toBeUndefined();
    expect(nextCutoff(carriers, 'LAX', 'standard', 'America/Los_Angeles', now)).toBeUndefined();
    expect(nextCutoff([], 'NYC', 'standard', 'America/New_York', now)).toBeUndefined();
  });
});
