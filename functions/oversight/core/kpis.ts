/**
 * KPIs per day and location, projected from the events of the other contexts. Each event becomes
 * a `KpiChange`: counters added to day items (`ADD`, in one transaction with a marker of the event
 * id, so a redelivery adds nothing), and the few facts later events of the same order need.
 * The figures are computed from the counters on read (`kpiSeries`), so a definition can change
 * without re-projecting.
 */

/** Demand no node could take (backorders) belongs to no location; it counts in the all-locations view. */
export const UNALLOCATED = 'unallocated';

/** A shipment is on time when it leaves within this many hours of the order's arrival. */
export const ON_TIME_HOURS = 48;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export const dayOf = (iso: string): string => new Date(iso).toISOString().slice(0, 10);

/** What oversight keeps of an order between its events. */
export interface OrderFacts {
  orderId: string;
  channelId: string;
  /** When the order reached us (OrderReceived's time). */
  receivedAt?: string;
  /** Net unit price per order line (after its discount), minor units; absent without prices. */
  prices?: Record<string, number>;
  unitsOrdered?: number;
  unitsShipped?: number;
  shipments?: number;
  shortPicked?: boolean;
  /** Open backorder: since when. */
  backorderedAt?: string;
  /** Where and when the order shipped perfect (a return later takes it back). */
  perfect?: { locationId: string; date: string };
  returned?: boolean;
}

export interface Cost {
  quantity: number;
  valueMinor: number;
}

export type KpiFact =
  | {
      kind: 'received';
      orderId: string;
      channelId: string;
      at: string;
      lines: { lineId: string; quantity: number; unitPrice: number | null; discount?: number }[];
    }
  | {
      kind: 'released';
      orderId: string;
      locationId: string;
      at: string;
      units: number;
    }
  | { kind: 'backordered'; orderId: string; at: string; lines: number; units: number }
  | { kind: 'cancelled'; orderId: string }
  | {
      kind: 'shipped';
      orderId: string;
      channelId: string;
      locationId: string;
      at: string;
      lines: { lineId: string; sku: string; quantity: number }[];
    }
  | { kind: 'short'; orderId: string; locationId: string; at: string; units: number }
  | { kind: 'putaway'; locationId: string; at: string; dockToStockSeconds?: number }
  | {
      kind: 'goods';
      sku: string;
      locationId: string;
      quantity: number;
      unitCostMinor: number;
      good: boolean;
    }
  | { kind: 'counted'; locationId: string; at: string; lines: { withinTolerance: boolean }[] }
  | { kind: 'adjusted'; locationId: string; at: string; delta: number; available: number }
  | { kind: 'returned'; orderId: string };

export interface CounterAdd {
  locationId: string;
  date: string;
  add: Record<string, number>;
}

export interface KpiChange {
  counters: CounterAdd[];
  /** Fields of the order's facts to set (undefined removes), and `unitsShipped`/`shipments` to add. */
  order?: {
    orderId: string;
    set: Partial<Omit<OrderFacts, 'orderId' | 'unitsShipped' | 'shipments'>>;
    remove?: (keyof OrderFacts)[];
    add?: { unitsShipped?: number; shipments?: number };
    /** The order's open backorder enters (since `at`) or leaves the aging list. */
    backorderIndex?: { at: string } | 'remove';
  };
  cost?: { sku: string; locationId: string; quantity: number; valueMinor: number };
}

export interface KpiPorts {
  orderFacts(orderId: string): Promise<OrderFacts | undefined>;
  costOf(sku: string, locationId: string): Promise<Cost | undefined>;
  /** Applies the change once per event id; false when the event was applied before. */
  apply(eventId: string, change: KpiChange): Promise<boolean>;
}

/** Counter names; margin counters are `rev#<channelId>` and `cogs#<channelId>`. */
export const C = {
  shipments: 'shipments',
  unitsShipped: 'unitsShipped',
  cycleSeconds: 'cycleSeconds',
  cycleCount: 'cycleCount',
  perfectEligible: 'perfectEligible',
  perfect: 'perfect',
  unitsDemanded: 'unitsDemanded',
  unitsFilled: 'unitsFilled',
  dockToStockSeconds: 'dockToStockSeconds',
  putaways: 'putaways',
  linesCounted: 'linesCounted',
  linesAccurate: 'linesAccurate',
  backordersReleased: 'backordersReleased',
  backorderAgeSeconds: 'backorderAgeSeconds',
  stockOuts: 'stockOuts',
  /** A gauge, not a counter: units on hand at the location when the sweep last looked that day. */
  onHandUnits: 'onHandUnits',
} as const;
export const revenueOf = (channelId: string) => `rev#${channelId}`;
export const cogsOf = (channelId: string) => `cogs#${channelId}`;

const seconds = (from: string, to: string) =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/** Turns one event's fact into the change it makes. Pure but for the reads of order facts and costs. */
export async function kpiChange(
  ports: Pick<KpiPorts, 'orderFacts' | 'costOf'>,
  fact: KpiFact,
): Promise<KpiChange> {
  switch (fact.kind) {
    case 'received': {
      const priced = fact.lines.every((l) => l.unitPrice !== null);
      const prices = priced
        ? Object.fromEntries(
            fact.lines.map((l) => [
              l.lineId,
              Math.round(((l.unitPrice ?? 0) * l.quantity - (l.discount ?? 0)) / l.quantity),
            ]),
          )
        : undefined;
      return {
        counters: [],
        order: {
          orderId: fact.orderId,
          set: {
            channelId: fact.channelId,
            receivedAt: fact.at,
            unitsOrdered: fact.lines.reduce((n, l) => n + l.quantity, 0),
            ...(prices ? { prices } : {}),
          },
        },
      };
    }
    case 'released': {
      const facts = await ports.orderFacts(fact.orderId);
      const add: Record<string, number> = {};
      const change: KpiChange = { counters: [{ locationId: fact.locationId, date: dayOf(fact.at), add }] };
      if (!facts?.backorderedAt) {
        // Demand met at once. A backorder's demand was counted (unfilled) when it was backordered.
        add[C.unitsDemanded] = fact.units;
        add[C.unitsFilled] = fact.units;
      } else {
        add[C.backordersReleased] = 1;
        add[C.backorderAgeSeconds] = seconds(facts.backorderedAt, fact.at);
        change.order = {
          orderId: fact.orderId,
          set: {},
          remove: ['backorderedAt'],
          backorderIndex: 'remove',
        };
      }
      return change;
    }
    case 'backordered': {
      const facts = await ports.orderFacts(fact.orderId);
      return {
        counters: [
          {
            locationId: UNALLOCATED,
            date: dayOf(fact.at),
            add: { [C.unitsDemanded]: fact.units, [C.stockOuts]: fact.lines },
          },
        ],
        // A second backorder of the same order keeps the first one's age.
        ...(facts?.backorderedAt
          ? {}
          : {
              order: {
                orderId: fact.orderId,
                set: { backorderedAt: fact.at },
                backorderIndex: { at: fact.at },
              },
            }),
      };
    }
    case 'cancelled':
      return {
        counters: [],
        order: { orderId: fact.orderId, set: {}, remove: ['backorderedAt'], backorderIndex: 'remove' },
      };
    case 'short':
      return {
        counters: [
          { locationId: fact.locationId, date: dayOf(fact.at), add: { [C.unitsFilled]: -fact.units } },
        ],
        order: { orderId: fact.orderId, set: { shortPicked: true } },
      };
    case 'shipped':
      return shipped(ports, fact);
    case 'putaway':
      return {
        counters:
          fact.dockToStockSeconds === undefined
            ? []
            : [
                {
                  locationId: fact.locationId,
                  date: dayOf(fact.at),
                  add: { [C.putaways]: 1, [C.dockToStockSeconds]: fact.dockToStockSeconds },
                },
              ],
      };
    case 'goods':
      return {
        counters: [],
        ...(fact.good && fact.quantity > 0
          ? {
              cost: {
                sku: fact.sku,
                locationId: fact.locationId,
                quantity: fact.quantity,
                valueMinor: fact.quantity * fact.unitCostMinor,
              },
            }
          : {}),
      };
    case 'counted':
      return {
        counters: [
          {
            locationId: fact.locationId,
            date: dayOf(fact.at),
            add: {
              [C.linesCounted]: fact.lines.length,
              [C.linesAccurate]: fact.lines.filter((l) => l.withinTolerance).length,
            },
          },
        ],
      };
    case 'adjusted':
      // A position emptied by a change: a stock-out at that location.
      return {
        counters:
          fact.delta < 0 && fact.available <= 0
            ? [{ locationId: fact.locationId, date: dayOf(fact.at), add: { [C.stockOuts]: 1 } }]
            : [],
      };
    case 'returned': {
      const facts = await ports.orderFacts(fact.orderId);
      if (!facts?.perfect || facts.returned) return { counters: [] };
      // A returned order was not perfect after all: taken back on the day it shipped.
      return {
        counters: [
          { locationId: facts.perfect.locationId, date: facts.perfect.date, add: { [C.perfect]: -1 } },
        ],
        order: { orderId: fact.orderId, set: { returned: true } },
      };
    }
  }
}

async function shipped(
  ports: Pick<KpiPorts, 'orderFacts' | 'costOf'>,
  fact: Extract<KpiFact, { kind: 'shipped' }>,
): Promise<KpiChange> {
  const facts = await ports.orderFacts(fact.orderId);
  const date = dayOf(fact.at);
  const units = fact.lines.reduce((n, l) => n + l.quantity, 0);
  const add: Record<string, number> = { [C.shipments]: 1, [C.unitsShipped]: units };
  let perfect: OrderFacts['perfect'];
  if (facts?.receivedAt) {
    add[C.cycleSeconds] = seconds(facts.receivedAt, fact.at);
    add[C.cycleCount] = 1;
    add[C.perfectEligible] = 1;
    const complete = (facts.shipments ?? 0) === 0 && units === facts.unitsOrdered;
    const onTime = Date.parse(fact.at) - Date.parse(facts.receivedAt) <= ON_TIME_HOURS * HOUR_MS;
    if (complete && onTime && !facts.shortPicked && !facts.returned) {
      add[C.perfect] = 1;
      perfect = { locationId: fact.locationId, date };
    }
  }
  let revenue = 0;
  let cogs = 0;
  const priced = facts?.prices;
  for (const line of fact.lines) {
    const price = priced?.[line.lineId];
    if (price !== undefined) revenue += price * line.quantity;
    const cost = await ports.costOf(line.sku, fact.locationId);
    if (cost && cost.quantity > 0) cogs += Math.round((cost.valueMinor / cost.quantity) * line.quantity);
  }
  add[revenueOf(fact.channelId)] = revenue;
  add[cogsOf(fact.channelId)] = cogs;
  return {
    counters: [{ locationId: fact.locationId, date, add }],
    order: {
      orderId: fact.orderId,
      set: { channelId: fact.channelId, ...(perfect ? { perfect } : {}) },
      add: { unitsShipped: units, shipments: 1 },
    },
  };
}

/** One day's counters at one location (or summed over locations). */
export type DayCounters = Record<string, number>;

export const KPI_NAMES = [
  'inventoryAccuracy',
  'orderCycleTimeHours',
  'perfectOrderRate',
  'fillRate',
  'dockToStockHours',
  'inventoryTurns',
  'backorderAgeHours',
  'stockOuts',
] as const;
export type KpiName = (typeof KPI_NAMES)[number];

export interface ChannelMargin {
  channelId: string;
  revenueMinor: number;
  cogsMinor: number;
  marginMinor: number;
  /** margin ÷ revenue, null without revenue. */
  marginRate: number | null;
}

export interface KpiReport {
  from: string;
  to: string;
  locationId: string | null;
  /** One point per day from `from` to `to`; `value` null when the day had nothing to measure. */
  series: Record<KpiName, { date: string; value: number | null }[]>;
  /** Each KPI over the whole range (ratios of the summed counters, not averages of days). */
  summary: Record<KpiName, number | null>;
  grossMarginByChannel: (ChannelMargin & {
    daily: { date: string; marginMinor: number; revenueMinor: number }[];
  })[];
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * Each KPI as a fraction of summed counters (value = numerator ÷ denominator × scale), so days
 * and locations add up correctly: a period's figure is the ratio of its sums, never a mean of
 * daily ratios. A null denominator is a plain count.
 */
const KPI_FRACTIONS: Record<
  KpiName,
  { num: (c: DayCounters) => number; den: ((c: DayCounters) => number) | null; scale: number }
> = {
  inventoryAccuracy: { num: (c) => c[C.linesAccurate] ?? 0, den: (c) => c[C.linesCounted] ?? 0, scale: 1 },
  orderCycleTimeHours: {
    num: (c) => c[C.cycleSeconds] ?? 0,
    den: (c) => c[C.cycleCount] ?? 0,
    scale: 1 / 3600,
  },
  perfectOrderRate: { num: (c) => c[C.perfect] ?? 0, den: (c) => c[C.perfectEligible] ?? 0, scale: 1 },
  fillRate: { num: (c) => c[C.unitsFilled] ?? 0, den: (c) => c[C.unitsDemanded] ?? 0, scale: 1 },
  dockToStockHours: {
    num: (c) => c[C.dockToStockSeconds] ?? 0,
    den: (c) => c[C.putaways] ?? 0,
    scale: 1 / 3600,
  },
  // Annualised, in units: units shipped per day × 365 over units on hand (the sweep's gauge).
  inventoryTurns: { num: (c) => (c[C.unitsShipped] ?? 0) * 365, den: (c) => c[C.onHandUnits] ?? 0, scale: 1 },
  backorderAgeHours: {
    num: (c) => c[C.backorderAgeSeconds] ?? 0,
    den: (c) => c[C.backordersReleased] ?? 0,
    scale: 1 / 3600,
  },
  stockOuts: { num: (c) => c[C.stockOuts] ?? 0, den: null, scale: 1 },
};

/**
 * The KPI values of summed counters over `days` days, `onHandDays` of which have an on-hand
 * gauge (turns compare the daily mean of units shipped with the mean on hand).
 */
export function kpiValues(c: DayCounters, days: number, onHandDays: number): Record<KpiName, number | null> {
  const out = {} as Record<KpiName, number | null>;
  for (const k of KPI_NAMES) {
    const f = KPI_FRACTIONS[k];
    let num = f.num(c);
    let den = f.den ? f.den(c) : null;
    if (k === 'inventoryTurns' && den !== null) {
      num = onHandDays > 0 ? num / days : 0;
      den = onHandDays > 0 ? den / onHandDays : 0;
    }
    out[k] = den === null ? num : den > 0 ? round((num / den) * f.scale) : null;
  }
  return out;
}

/** Every day from `from` to `to`, inclusive (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

const sum = (into: DayCounters, from: DayCounters) => {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
};

/** The report from day items (one per location and day; several locations are summed). */
export function kpiReport(
  from: string,
  to: string,
  locationId: string | null,
  items: readonly { date: string; counters: DayCounters }[],
): KpiReport {
  const days = daysBetween(from, to);
  const byDay = new Map<string, DayCounters>(days.map((d) => [d, {}]));
  for (const item of items) {
    const day = byDay.get(item.date);
    if (day) sum(day, item.counters);
  }
  const series = Object.fromEntries(
    KPI_NAMES.map((k) => [k, [] as { date: string; value: number | null }[]]),
  ) as KpiReport['series'];
  const total: DayCounters = {};
  let onHandDays = 0;
  const channels = new Set<string>();
  for (const [date, c] of byDay) {
    const values = kpiValues(c, 1, c[C.onHandUnits] !== undefined ? 1 : 0);
    for (const k of KPI_NAMES) series[k].push({ date, value: values[k] });
    if (c[C.onHandUnits] !== undefined) onHandDays++;
    sum(total, c);
    for (const k of Object.keys(c)) if (k.startsWith('rev#')) channels.add(k.slice(4));
  }
  const grossMarginByChannel = [...channels].sort().map((channelId) => {
    const revenueMinor = total[revenueOf(channelId)] ?? 0;
    const cogsMinor = total[cogsOf(channelId)] ?? 0;
    return {
      channelId,
      revenueMinor,
      cogsMinor,
      marginMinor: revenueMinor - cogsMinor,
      marginRate: revenueMinor > 0 ? round((revenueMinor - cogsMinor) / revenueMinor) : null,
      daily: [...byDay].map(([date, c]) => ({
        date,
        revenueMinor: c[revenueOf(channelId)] ?? 0,
        marginMinor: (c[revenueOf(channelId)] ?? 0) - (c[cogsOf(channelId)] ?? 0),
      })),
    };
  });
  return {
    from,
    to,
    locationId,
    series,
    summary: kpiValues(total, days.length, onHandDays),
    grossMarginByChannel,
  };
}

/** The export's name and unit of each KPI (the unit of numerator ÷ denominator). */
const EXPORTED: Record<KpiName, { kpi: string; unit: 'ratio' | 'seconds' | 'count' }> = {
  inventoryAccuracy: { kpi: 'inventory_accuracy', unit: 'ratio' },
  orderCycleTimeHours: { kpi: 'order_cycle_time', unit: 'seconds' },
  perfectOrderRate: { kpi: 'perfect_order_rate', unit: 'ratio' },
  fillRate: { kpi: 'fill_rate', unit: 'ratio' },
  dockToStockHours: { kpi: 'dock_to_stock_time', unit: 'seconds' },
  inventoryTurns: { kpi: 'inventory_turns', unit: 'ratio' },
  backorderAgeHours: { kpi: 'backorder_age', unit: 'seconds' },
  stockOuts: { kpi: 'stock_outs', unit: 'count' },
};

export interface KpiExportRow {
  date: string;
  locationId: string;
  kpi: string;
  /** Set on `gross_margin` rows only. */
  channelId: string | null;
  unit: 'ratio' | 'seconds' | 'count';
  numerator: number;
  /** Null for a count. */
  denominator: number | null;
}

/**
 * Rows of the `kpis_daily` export: one per day × location × KPI that had something to measure
 * (and one `gross_margin` per channel: margin ÷ revenue, minor units). Numerator and denominator
 * rather than the ratio, so a query over weeks or locations sums them and divides once.
 */
export function kpiRows(
  items: readonly { locationId: string; date: string; counters: DayCounters }[],
): KpiExportRow[] {
  const rows: KpiExportRow[] = [];
  for (const item of items) {
    for (const k of KPI_NAMES) {
      const f = KPI_FRACTIONS[k];
      const den = f.den ? f.den(item.counters) : null;
      if (den === 0) continue;
      rows.push({
        date: item.date,
        locationId: item.locationId,
        kpi: EXPORTED[k].kpi,
        channelId: null,
        unit: EXPORTED[k].unit,
        numerator: f.num(item.counters),
        denominator: den,
      });
    }
    for (const key of Object.keys(item.counters)) {
      if (!key.startsWith('rev#')) continue;
      const channelId = key.slice(4);
      const revenue = item.counters[key] ?? 0;
      if (revenue === 0) continue;
      rows.push({
        date: item.date,
        locationId: item.locationId,
        kpi: 'gross_margin',
        channelId,
        unit: 'ratio',
        numerator: revenue - (item.counters[cogsOf(channelId)] ?? 0),
        denominator: revenue,
      });
    }
  }
  return rows;
}
