/**
 * Safety stock, reorder points, order quantities and stock-out dates: pure arithmetic over one
 * SKU × location's forecast and stock. Every figure a suggestion shows comes from here.
 */

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function zScore(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('service level must be strictly between 0 and 1');
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

/**
 * SS = z·√(L·σd² + d̄²·σL²): demand uncertainty over the lead time plus lead-time uncertainty
 * at the mean demand. `sigmaDemand` is the daily forecast error, `leadTimeDays` and
 * `leadTimeSd` in days.
 */
export function safetyStock(input: {
  z: number;
  leadTimeDays: number;
  sigmaDemand: number;
  dailyDemand: number;
  leadTimeSd: number;
}): number {
  const { z, leadTimeDays: L, sigmaDemand: sd, dailyDemand: d, leadTimeSd: sl } = input;
  return Math.max(0, z * Math.sqrt(L * sd * sd + d * d * sl * sl));
}

/** ROP = d̄·L + SS. */
export const reorderPoint = (dailyDemand: number, leadTimeDays: number, safety: number): number =>
  dailyDemand * leadTimeDays + safety;

/**
 * Units to order to bring `position` up to `orderUpTo`, or 0 when the position is above the
 * reorder point: at least the MOQ, then up to a whole number of cases.
 */
export function orderQuantity(input: {
  position: number;
  reorderPoint: number;
  orderUpTo: number;
  moq?: number | undefined;
  casePack?: number | undefined;
}): number {
  if (input.position > input.reorderPoint) return 0;
  const need = Math.ceil(input.orderUpTo - input.position - 1e-9);
  if (need <= 0) return 0;
  let q = Math.max(need, input.moq ?? 1);
  const pack = input.casePack ?? 1;
  if (pack > 1) q = Math.ceil(q / pack) * pack;
  return q;
}

/** Units expected at the location on a day (open POs, transfers in transit). */
export interface Arrival {
  date: string;
  quantity: number;
}

export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The first day stock runs out: from `asOf`, free stock (on hand − backordered) plus arrivals
 * on their day, minus each day's forecast; the day it would go below zero. null when it lasts
 * the whole forecast.
 */
export function stockoutDate(input: {
  asOf: string;
  daily: ArrayLike<number>;
  onHand: number;
  backordered: number;
  arrivals: readonly Arrival[];
}): string | null {
  let stock = input.onHand - input.backordered;
  if (stock < 0) return input.asOf;
  const byDay = new Map<number, number>();
  for (const a of input.arrivals) {
    const day = Math.max(0, Math.round((Date.parse(a.date) - Date.parse(input.asOf)) / 86_400_000));
    byDay.set(day, (byDay.get(day) ?? 0) + a.quantity);
  }
  for (let i = 0; i < input.daily.length; i++) {
    stock += byDay.get(i) ?? 0;
    stock -= input.daily[i] as number;
    if (stock < -1e-9) return addDays(input.asOf, i);
  }
  return null;
}

/** What one SKU × location's replenishment is computed from. */
export interface PositionInput {
  sku: string;
  locationId: string;
  asOf: string;
  daily: ArrayLike<number>;
  /** Daily forecast error (σd). */
  sigmaDemand: number;
  leadTimeDays: number;
  leadTimeSd: number;
  serviceLevel: number;
  /** Days between reviews: order-up-to covers them beyond the reorder point. */
  reviewDays: number;
  onHand: number;
  arrivals: readonly Arrival[];
  backordered: number;
  supplierId?: string | undefined;
  moq?: number | undefined;
  casePack?: number | undefined;
}

/** The numbers a suggestion shows. */
export interface SuggestionInputs {
  dailyDemand: number;
  leadTimeDays: number;
  safetyStock: number;
  reorderPoint: number;
  onHand: number;
  incoming: number;
  backordered: number;
}

export interface PositionPlan {
  sku: string;
  locationId: string;
  inputs: SuggestionInputs;
  leadTimeSd: number;
  orderUpTo: number;
  /** On hand + incoming − backordered. */
  position: number;
  stockoutDate: string | null;
  /** A stock-out is predicted within the lead time. */
  atRisk: boolean;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** d̄ over the lead time and review period (at least a week), SS, ROP, order-up-to, stock-out. */
export function planPosition(p: PositionInput): PositionPlan {
  const span = Math.max(7, Math.min(p.daily.length, Math.ceil(p.leadTimeDays + p.reviewDays)));
  let sum = 0;
  for (let i = 0; i < span && i < p.daily.length; i++) sum += p.daily[i] as number;
  const dailyDemand = p.daily.length ? sum / Math.min(span, p.daily.length) : 0;
  const ss = safetyStock({
    z: zScore(p.serviceLevel),
    leadTimeDays: p.leadTimeDays,
    sigmaDemand: p.sigmaDemand,
    dailyDemand,
    leadTimeSd: p.leadTimeSd,
  });
  const rop = reorderPoint(dailyDemand, p.leadTimeDays, ss);
  const incoming = p.arrivals.reduce((s, a) => s + a.quantity, 0);
  const position = p.onHand + incoming - p.backordered;
  const out = stockoutDate({
    asOf: p.asOf,
    daily: p.daily,
    onHand: p.onHand,
    backordered: p.backordered,
    arrivals: p.arrivals,
  });
  const daysToOut =
    out === null ? Number.POSITIVE_INFINITY : (Date.parse(out) - Date.parse(p.asOf)) / 86_400_000;
  return {
    sku: p.sku,
    locationId: p.locationId,
    inputs: {
      dailyDemand: round2(dailyDemand),
      leadTimeDays: round2(p.leadTimeDays),
      safetyStock: round2(ss),
      reorderPoint: round2(rop),
      onHand: p.onHand,
      incoming,
      backordered: p.backordered,
    },
    leadTimeSd: round2(p.leadTimeSd),
    orderUpTo: rop + dailyDemand * p.reviewDays,
    position,
    stockoutDate: out,
    atRisk: daysToOut < p.leadTimeDays,
  };
}

export interface Suggestion {
  type: 'po' | 'transfer';
  sku: string;
  locationId: string;
  quantity: number;
  supplierId?: string;
  fromLocationId?: string;
  inputs: SuggestionInputs;
  stockoutDate: string | null;
}

/**
 * Suggestions for one SKU over its locations. Excess first moves to shortage (a transfer: the
 * source keeps its own order-up-to level, only free units move, largest excess to largest need);
 * whatever need remains becomes a PO line with its supplier, at least the MOQ, in whole cases.
 */
export function suggestFor(
  positions: readonly (PositionPlan & Pick<PositionInput, 'supplierId' | 'moq' | 'casePack'>)[],
): Suggestion[] {
  const out: Suggestion[] = [];
  const need = new Map<string, number>();
  const excess = new Map<string, number>();
  for (const p of positions) {
    const free = p.inputs.onHand - p.inputs.backordered;
    if (p.position <= p.inputs.reorderPoint) need.set(p.locationId, p.orderUpTo - p.position);
    else {
      const spare = Math.floor(Math.min(free, p.position - p.orderUpTo));
      if (spare >= 1) excess.set(p.locationId, spare);
    }
  }
  const byId = new Map(positions.map((p) => [p.locationId, p]));
  const shortages = [...need].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const received = new Map<string, number>();
  for (const [to, wanted] of shortages) {
    let left = Math.ceil(wanted - 1e-9);
    const sources = [...excess]
      .filter(([, q]) => q > 0)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    for (const [from, spare] of sources) {
      if (left <= 0) break;
      const q = Math.min(spare, left);
      excess.set(from, spare - q);
      left -= q;
      received.set(to, (received.get(to) ?? 0) + q);
      const dest = byId.get(to) as PositionPlan;
      out.push({
        type: 'transfer',
        sku: dest.sku,
        locationId: to,
        fromLocationId: from,
        quantity: q,
        inputs: dest.inputs,
        stockoutDate: dest.stockoutDate,
      });
    }
  }
  for (const [to] of shortages) {
    const p = byId.get(to) as (typeof positions)[number];
    const position = p.position + (received.get(to) ?? 0);
    const quantity = orderQuantity({
      position,
      reorderPoint: p.inputs.reorderPoint,
      orderUpTo: p.orderUpTo,
      moq: p.moq,
      casePack: p.casePack,
    });
    if (quantity > 0) {
      out.push({
        type: 'po',
        sku: p.sku,
        locationId: to,
        quantity,
        ...(p.supplierId ? { supplierId: p.supplierId } : {}),
        inputs: p.inputs,
        stockoutDate: p.stockoutDate,
      });
    }
  }
  return out;
}
