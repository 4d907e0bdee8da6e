import type { ShipmentLine, StockSnapshot } from '../schemas.ts';

const freeAt = (stock: StockSnapshot, sku: string, locationIds: readonly string[]) =>
  locationIds.reduce((sum, loc) => sum + Math.max(0, stock.get(sku)?.get(loc)?.available ?? 0), 0);

/**
 * For an order that allows substitutes: each line whose own SKU the channel's locations cannot
 * cover takes the first of its catalog substitutes that can (the catalog's order is the
 * merchant's preference). Lines that are covered, or have no substitute that covers them, stay as
 * they are. Pure: the caller supplies the substitutes and one stock snapshot holding them all.
 */
export function substituteShortLines(
  lines: readonly ShipmentLine[],
  substitutesOf: ReadonlyMap<string, readonly string[]>,
  stock: StockSnapshot,
  locationIds: readonly string[],
): { lines: ShipmentLine[]; substitutions: { lineId: string; from: string; to: string }[] } {
  const substitutions: { lineId: string; from: string; to: string }[] = [];
  const wanted = new Map<string, number>();
  const out = lines.map((line) => {
    const covered = (sku: string) =>
      freeAt(stock, sku, locationIds) - (wanted.get(sku) ?? 0) >= line.quantity;
    let sku = line.sku;
    if (!covered(sku)) {
      const to = (substitutesOf.get(line.sku) ?? []).find(covered);
      if (to) {
        substitutions.push({ lineId: line.lineId, from: line.sku, to });
        sku = to;
      }
    }
    wanted.set(sku, (wanted.get(sku) ?? 0) + line.quantity);
    return sku === line.sku ? line : { ...line, sku };
  });
  return { lines: out, substitutions };
}
