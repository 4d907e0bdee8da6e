/**
 * Splits the channel's number across its mapped locations so the channel's total is our number
 * and no location shows more than it holds: locations in the channel's order take what they
 * have, and what is left (exposure rules may round, a location may be unmapped) goes to the
 * first one.
 */
export function splitAcrossLocations(
  total: number,
  locations: readonly string[],
  available: ReadonlyMap<string, number>,
): Map<string, number> {
  const out = new Map<string, number>(locations.map((l) => [l, 0]));
  let left = total;
  for (const loc of locations) {
    const take = Math.min(left, Math.max(0, available.get(loc) ?? 0));
    out.set(loc, take);
    left -= take;
  }
  const first = locations[0];
  if (first !== undefined && left > 0) out.set(first, (out.get(first) ?? 0) + left);
  return out;
}
