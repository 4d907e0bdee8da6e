import type { CountSettings } from '../schemas.ts';

/**
 * A counted quantity is within tolerance when the difference is at most `units`, or at most
 * `percent` % of the expected units — the larger allowance wins, so a small bin gets the unit
 * allowance and a big one the percentage. An exact count is always within.
 */
export function withinTolerance(
  expected: number,
  counted: number,
  tolerance: CountSettings['tolerance'],
): boolean {
  const delta = Math.abs(counted - expected);
  if (delta === 0) return true;
  const allowed = Math.max(tolerance.units, (expected * tolerance.percent) / 100);
  return delta <= allowed;
}
