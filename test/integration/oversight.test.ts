import { randomUUID } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256 } from '../../functions/shared/webhooks.ts';
import { MANIFEST, type SystemManifest } from '../../lib/manifest/index.ts';
import { oversight } from '../../lib/manifest/oversight.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Oversight on the real local runtime, fed synthetic events of the other contexts. Only the
 * oversight rules (and the journal) are wired, so no other context reacts to the made-up orders
 * and the figures are exactly those of the events sent.
 */
const OVERSIGHT_FNS = new Set(Object.keys(oversight.functions));
const manifest: SystemManifest = {
  ...MANIFEST,
  rules: MANIFEST.rules.filter(
    (r) =>
      r.name === 'finance-exports' ||
      ('fn' in r.target && (OVERSIGHT_FNS.has(r.target.fn) || r.target.fn === 'recordEvent')),
  ),
};

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ manifest });
});
afterAll(async () => {
  await rt?.stop();
});

interface Sent {
  Source: string;
  DetailType: string;
  Detail: string;
}

const SOURCES: Record<string, string> = {
  OrderReceived: 'qm.orders',
  OrderReleased: 'qm.orders',
  OrderBackordered: 'qm.orders',
  OrderCancelled: 'qm.orders',
  ShipmentConfirmed: 'qm.fulfillment',
  PickShorted: 'qm.fulfillment',
  CutoffAtRisk: 'qm.fulfillment',
  PutawayCompleted: 'qm.inbound',
  GoodsReceived: 'qm.inbound',
  CountSubmitted: 'qm.inbound',
  CountVariancePosted: 'qm.inbound',
  StockAdjusted: 'qm.inventory',
  ReturnReceived: 'qm.returns',
  ChannelSyncDegraded: 'qm.connectors',
  ChannelSyncRecovered: 'qm.connectors',
  InventoryMismatchDetected: 'qm.connectors',
  ThreePLReconciliationApproved: 'qm.connectors',
  StockoutRiskChanged: 'qm.planning',
};

const envelope = (detailType: string, data: unknown, at: string): Sent => ({
  Source: SOURCES[detailType] as string,
  DetailType: detailType,
  Detail: JSON.stringify({
    metadata: { eventId: randomUUID(), occurredAt: at, version: 1, correlationId: 'oversight-test' },
    data,
  }),
});

/** Puts the entries on the local bus (10 per request, as PutEvents takes them) and waits for the consumers. */
async function send(entries: readonly Sent[]) {
  for (let i = 0; i < entries.length; i += 10) {
    const res = await fetch(`${rt.url}/local/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Entries: entries.slice(i, i + 10) }),
    });
    expect(res.status).toBe(200);
  }
  await rt.settle();
}

const deadLetters = async () => (await rt.api('GET', '/local/dead-letters')).body.items as unknown[];

// ---------------------------------------------------------------------------------------------
// A simulated week, generated with a fixed seed, and its KPIs computed straightforwardly.

function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEEK = [
  '2026-11-02',
  '2026-11-03',
  '2026-11-04',
  '2026-11-05',
  '2026-11-06',
  '2026-11-07',
  '2026-11-08',
];
const LOCS = ['WH1', 'WH2'];
const CHANNELS = ['shop', 'web'];
const SKUS = ['A', 'B', 'C'];
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const day = (at: string) => at.slice(0, 10);

interface Line {
  lineId: string;
  sku: string;
  quantity: number;
  unitPrice: number;
  discount: number;
}
interface SimOrder {
  orderId: string;
  channelId: string;
  locationId: string;
  receivedAt: string;
  lines: Line[];
  kind: 'normal' | 'short' | 'backorder';
  shipAfterHours: number;
  returned: boolean;
}

function simulate() {
  const rnd = mulberry32(20261102);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const cost: Record<string, number> = {};
  for (const sku of SKUS) for (const loc of LOCS) cost[`${sku}@${loc}`] = int(300, 900);
  const orders: SimOrder[] = [];
  const putaways: { locationId: string; at: string; seconds: number }[] = [];
  const counts: { locationId: string; at: string; within: boolean[] }[] = [];
  const adjustments: { locationId: string; at: string; delta: number; available: number }[] = [];
  for (const [d, date] of WEEK.entries()) {
    const start = Date.parse(`${date}T08:00:00Z`);
    for (let i = 0; i < 5; i++) {
      const lines = Array.from({ length: int(1, 2) }, (_, l) => {
        const quantity = int(1, 3);
        return {
          lineId: `L${l + 1}`,
          sku: SKUS[(i + l) % SKUS.length] as string,
          quantity,
          unitPrice: int(10, 30) * 100,
          discount: rnd() < 0.3 ? 100 * quantity : 0,
        };
      });
      const r = rnd();
      orders.push({
        orderId: `o-${d}-${i}`,
        channelId: pick(CHANNELS),
        locationId: pick(LOCS),
        receivedAt: iso(start + i * 30 * 60_000),
        lines,
        kind: r < 0.15 ? 'short' : r < 0.3 ? 'backorder' : 'normal',
        shipAfterHours: pick([2, 20, 60]),
        returned: rnd() < 0.15,
      });
    }
    for (const loc of LOCS) {
      putaways.push({ locationId: loc, at: iso(start + 2 * HOUR), seconds: int(600, 7200) });
      putaways.push({ locationId: loc, at: iso(start + 5 * HOUR), seconds: int(600, 7200) });
      counts.push({
        locationId: loc,
        at: iso(start + 3 * HOUR),
        within: [rnd() < 0.8, rnd() < 0.8, rnd() < 0.8],
      });
      adjustments.push({
        locationId: loc,
        at: iso(start + 4 * HOUR),
        delta: -int(1, 3),
        available: pick([0, 5]),
      });
    }
  }
  return { orders, putaways, counts, adjustments, cost };
}

type Sim = ReturnType<typeof simulate>;

/** The events the week's work would publish, in the phases they happen in. */
function eventsOf(sim: Sim) {
  const phases: Sent[][] = [[], [], [], []];
  const [first, second, third, fourth] = phases as [Sent[], Sent[], Sent[], Sent[]];
  for (const [key, unitCostMinor] of Object.entries(sim.cost)) {
    const [sku, locationId] = key.split('@') as [string, string];
    const receipt = (condition: string, quantity: number, unit: number) =>
      envelope(
        'GoodsReceived',
        {
          asnId: 'asn-1',
          poId: 'po-1',
          scanId: randomUUID(),
          locationId,
          sku,
          quantity,
          condition,
          currency: 'USD',
          unitCostMinor: unit,
          receivedAt: '2026-11-01T09:00:00Z',
        },
        '2026-11-01T09:00:00Z',
      );
    first.push(receipt('good', 100, unitCostMinor), receipt('damaged', 5, unitCostMinor * 10));
  }
  for (const o of sim.orders) {
    const base = { orderId: o.orderId, channelId: o.channelId, externalId: o.orderId };
    const received = Date.parse(o.receivedAt);
    first.push(
      envelope(
        'OrderReceived',
        {
          ...base,
          lines: o.lines,
          currency: 'USD',
          shipTo: null,
          paymentStatus: 'paid',
          placedAt: o.receivedAt,
          serviceLevel: 'standard',
        },
        o.receivedAt,
      ),
    );
    const releaseLines = o.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity }));
    const released = (at: string) =>
      envelope(
        'OrderReleased',
        {
          ...base,
          reservationId: `r-${o.orderId}`,
          locationId: o.locationId,
          nodeType: 'warehouse',
          lines: releaseLines,
          serviceLevel: 'standard',
          shipTo: null,
          releasedAt: at,
        },
        at,
      );
    let shipLines = releaseLines;
    let shippedAt = iso(received + o.shipAfterHours * HOUR);
    if (o.kind === 'backorder') {
      const at = iso(received + 5 * 60_000);
      second.push(
        envelope(
          'OrderBackordered',
          {
            orderId: o.orderId,
            channelId: o.channelId,
            status: 'backordered',
            lines: releaseLines.map((l) => ({ ...l, expectedAt: null })),
            reservedLineIds: [],
            at,
          },
          at,
        ),
      );
      third.push(released(iso(received + 30 * HOUR)));
      shippedAt = iso(received + 32 * HOUR);
      fourth.push(shipment(o, releaseLines, shippedAt));
    } else {
      first.push(released(iso(received + 10 * 60_000)));
      if (o.kind === 'short') {
        const at = iso(received + HOUR);
        second.push(
          envelope(
            'PickShorted',
            {
              fulfillmentId: `f-${o.orderId}`,
              orderId: o.orderId,
              channelId: o.channelId,
              locationId: o.locationId,
              reservationId: `r-${o.orderId}`,
              taskId: 't-1',
              binId: 'B-1',
              lines: [{ lineId: 'L1', sku: o.lines[0]?.sku, quantity: 1 }],
              reason: 'short_pick',
              at,
            },
            at,
          ),
        );
        shipLines = releaseLines
          .map((l) => (l.lineId === 'L1' ? { ...l, quantity: l.quantity - 1 } : l))
          .filter((l) => l.quantity > 0);
      }
      if (shipLines.length) third.push(shipment(o, shipLines, shippedAt));
    }
    if (o.returned && o.kind === 'normal') {
      fourth.push(
        envelope(
          'ReturnReceived',
          {
            returnId: `rt-${o.orderId}`,
            orderId: o.orderId,
            channelId: o.channelId,
            locationId: o.locationId,
            lines: [{ sku: o.lines[0]?.sku, quantity: 1 }],
            unexpected: [],
            receivedAt: iso(Date.parse(shippedAt) + 72 * HOUR),
          },
          iso(Date.parse(shippedAt) + 72 * HOUR),
        ),
      );
    }
  }
  for (const p of sim.putaways) {
    second.push(
      envelope(
        'PutawayCompleted',
        {
          taskId: randomUUID(),
          asnId: 'asn-1',
          poId: 'po-1',
          scanId: randomUUID(),
          locationId: p.locationId,
          sku: 'A',
          quantity: 5,
          binId: 'B-1',
          putAwayAt: p.at,
          dockToStockSeconds: p.seconds,
        },
        p.at,
      ),
    );
  }
  for (const c of sim.counts) {
    second.push(
      envelope(
        'CountSubmitted',
        {
          taskId: randomUUID(),
          locationId: c.locationId,
          binId: 'B-1',
          // Within tolerance or not is what inventory accuracy counts.
          lines: c.within.map((w, i) => ({
            sku: SKUS[i],
            expected: 10,
            counted: w ? 10 : 3,
            withinTolerance: w,
          })),
          submittedAt: c.at,
        },
        c.at,
      ),
    );
  }
  for (const a of sim.adjustments) {
    second.push(
      envelope(
        'StockAdjusted',
        {
          movementId: randomUUID(),
          sku: 'B',
          locationId: a.locationId,
          delta: a.delta,
          reason: 'damaged in aisle',
          actor: 'test',
          onHand: a.available,
          available: a.available,
        },
        a.at,
      ),
    );
  }
  return phases;
}

function shipment(
  o: SimOrder,
  lines: { lineId: string; sku: string; quantity: number }[],
  shippedAt: string,
) {
  return envelope(
    'ShipmentConfirmed',
    {
      shipmentId: `s-${o.orderId}`,
      fulfillmentId: `f-${o.orderId}`,
      orderId: o.orderId,
      channelId: o.channelId,
      externalId: o.orderId,
      locationId: o.locationId,
      reservationId: `r-${o.orderId}`,
      lines,
      carrier: 'ups',
      service: 'ground',
      trackingNumber: '1Z',
      packages: 1,
      shippedAt,
    },
    shippedAt,
  );
}

/** The week's KPIs per day, computed from the simulated work itself (not from the events). */
function expectedKpis(sim: Sim, location: string | null) {
  const at = (loc: string) => location === null || loc === location;
  const perDay = new Map(
    WEEK.map((d) => [
      d,
      {
        shipped: 0,
        cycleHours: [] as number[],
        perfect: 0,
        demanded: 0,
        filled: 0,
        dockHours: [] as number[],
        counted: 0,
        accurate: 0,
        backorderHours: [] as number[],
        stockOuts: 0,
        revenue: {} as Record<string, number>,
        cogs: {} as Record<string, number>,
      },
    ]),
  );
  const bucket = (d: string) => perDay.get(d);
  for (const o of sim.orders) {
    const received = Date.parse(o.receivedAt);
    const units = o.lines.reduce((n, l) => n + l.quantity, 0);
    let shipLines = o.lines.map((l) => ({ ...l }));
    let shippedAt: number;
    if (o.kind === 'backorder') {
      const b = bucket(day(iso(received + 5 * 60_000)));
      if (location === null && b) {
        b.demanded += units;
        b.stockOuts += o.lines.length;
      }
      const rel = bucket(day(iso(received + 30 * HOUR)));
      if (rel && at(o.locationId)) rel.backorderHours.push(30 - 5 / 60);
      shippedAt = received + 32 * HOUR;
    } else {
      const rel = bucket(day(o.receivedAt));
      if (rel && at(o.locationId)) {
        rel.demanded += units;
        rel.filled += units - (o.kind === 'short' ? 1 : 0);
      }
      if (o.kind === 'short')
        shipLines = shipLines.map((l) => (l.lineId === 'L1' ? { ...l, quantity: l.quantity - 1 } : l));
      shippedAt = received + o.shipAfterHours * HOUR;
    }
    shipLines = shipLines.filter((l) => l.quantity > 0);
    const s = bucket(day(iso(shippedAt)));
    if (!s || !at(o.locationId) || shipLines.length === 0) continue;
    s.shipped++;
    s.cycleHours.push((shippedAt - received) / HOUR);
    const complete = shipLines.reduce((n, l) => n + l.quantity, 0) === units;
    const onTime = shippedAt - received <= 48 * HOUR;
    if (complete && onTime && o.kind !== 'short' && !(o.returned && o.kind === 'normal')) s.perfect++;
    for (const l of shipLines) {
      // The line's discount is over the units ordered, whatever part of them shipped.
      const ordered = o.lines.find((x) => x.lineId === l.lineId) as Line;
      const net = Math.round((ordered.unitPrice * ordered.quantity - ordered.discount) / ordered.quantity);
      s.revenue[o.channelId] = (s.revenue[o.channelId] ?? 0) + net * l.quantity;
      s.cogs[o.channelId] =
        (s.cogs[o.channelId] ?? 0) + (sim.cost[`${l.sku}@${o.locationId}`] ?? 0) * l.quantity;
    }
  }
  for (const p of sim.putaways) if (at(p.locationId)) bucket(day(p.at))?.dockHours.push(p.seconds / 3600);
  for (const c of sim.counts) {
    const b = bucket(day(c.at));
    if (b && at(c.locationId)) {
      b.counted += c.within.length;
      b.accurate += c.within.filter(Boolean).length;
    }
  }
  for (const a of sim.adjustments) {
    const b = bucket(day(a.at));
    if (b && at(a.locationId) && a.available === 0) b.stockOuts++;
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const rate = (n: number, d: number) => (d ? n / d : null);
  return WEEK.map((date) => {
    const b = perDay.get(date) as NonNullable<ReturnType<typeof bucket>>;
    return {
      date,
      inventoryAccuracy: rate(b.accurate, b.counted),
      orderCycleTimeHours: mean(b.cycleHours),
      perfectOrderRate: rate(b.perfect, b.shipped),
      fillRate: rate(b.filled, b.demanded),
      dockToStockHours: mean(b.dockHours),
      backorderAgeHours: mean(b.backorderHours),
      stockOuts: b.stockOuts,
      revenue: b.revenue,
      cogs: b.cogs,
    };
  });
}

const KPIS = [
  'inventoryAccuracy',
  'orderCycleTimeHours',
  'perfectOrderRate',
  'fillRate',
  'dockToStockHours',
  'backorderAgeHours',
  'stockOuts',
] as const;

function expectSeries(report: any, expected: ReturnType<typeof expectedKpis>) {
  for (const kpi of KPIS) {
    const got = report.series[kpi] as { date: string; value: number | null }[];
    expect(got.map((p) => p.date)).toEqual(WEEK);
    got.forEach((point, i) => {
      const want = expected[i]?.[kpi] ?? null;
      if (want === null) expect(point.value, `${kpi} ${point.date}`).toBeNull();
      else expect(point.value, `${kpi} ${point.date}`).toBeCloseTo(want, 3);
    });
  }
}

describe('KPIs for a simulated week', () => {
  const sim = simulate();
  const phases = eventsOf(sim);

  it('match the values computed from the week’s work, per location and over all, and a redelivery changes nothing', async () => {
    for (const phase of phases) await send(phase);
    expect(await deadLetters()).toEqual([]);

    const wh1 = await rt.api('GET', `/api/kpis?from=${WEEK[0]}&to=${WEEK[6]}&locationId=WH1`, {
      role: 'finance',
    });
    expect(wh1.status).toBe(200);
    expectSeries(wh1.body, expectedKpis(sim, 'WH1'));

    const all = await rt.api('GET', `/api/kpis?from=${WEEK[0]}&to=${WEEK[6]}`, { role: 'supervisor' });
    expect(all.status).toBe(200);
    const expected = expectedKpis(sim, null);
    expectSeries(all.body, expected);

    // Gross margin per channel over the week: revenue − COGS of what shipped in it.
    for (const channelId of CHANNELS) {
      const revenue = expected.reduce((n, d) => n + (d.revenue[channelId] ?? 0), 0);
      const cogs = expected.reduce((n, d) => n + (d.cogs[channelId] ?? 0), 0);
      const got = all.body.grossMarginByChannel.find((c: { channelId: string }) => c.channelId === channelId);
      expect(got).toMatchObject({ revenueMinor: revenue, cogsMinor: cogs, marginMinor: revenue - cogs });
      expect(revenue).toBeGreaterThan(0);
    }
    // The simulation exercises every KPI (a value of each on some day).
    for (const kpi of KPIS)
      expect(
        expected.some((d) => d[kpi] !== null && d[kpi] !== 0),
        kpi,
      ).toBe(true);

    // Events again (the bus delivers at least once): the same figures. Every kind of event,
    // a few of each, rather than the whole week twice.
    const kinds = new Map<string, Sent[]>();
    for (const e of phases.flat()) kinds.set(e.DetailType, [...(kinds.get(e.DetailType) ?? []), e]);
    await send([...kinds.values()].flatMap((es) => es.slice(0, 4)));
    const again = await rt.api('GET', `/api/kpis?from=${WEEK[0]}&to=${WEEK[6]}`, { role: 'supervisor' });
    expect(again.body).toEqual(all.body);
  });

  it('are exported with the finance datasets: kpis_daily, numerator and denominator per day × location × KPI', async () => {
    const date = WEEK[2] as string;
    const req = await rt.api('POST', '/api/finance/exports', {
      role: 'finance',
      body: { date, datasets: ['kpis_daily'] },
    });
    expect(req.status).toBe(202);
    await rt.settle();
    const run = await rt.api('GET', `/api/finance/exports/${req.body.runId}`, { role: 'finance' });
    expect(run.body).toMatchObject({ status: 'succeeded', datasets: [{ name: 'kpis_daily' }] });
    const s3 = new S3Client({
      endpoint: `http://127.0.0.1:${rt.config.s3Port}`,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const out = await s3.send(
      new GetObjectCommand({
        Bucket: rt.config.exportsBucket,
        Key: `exports/kpis_daily/dt=${date}/part-00000.csv`,
      }),
    );
    const [header, ...lines] = (
      await (out.Body as { transformToString(): Promise<string> }).transformToString()
    )
      .trim()
      .split(/\r?\n/);
    s3.destroy();
    expect(header).toBe('date,location_id,kpi,channel_id,unit,numerator,denominator');
    const rows = lines.map((l) => l.split(','));
    expect(rows.every((r) => r[0] === date)).toBe(true);
    const want = expectedKpis(sim, 'WH1')[2];
    const row = (kpi: string) => rows.find((r) => r[1] === 'WH1' && r[2] === kpi) as string[];
    const fill = row('fill_rate');
    expect(Number(fill[5]) / Number(fill[6])).toBeCloseTo(want?.fillRate as number, 6);
    const cycle = row('order_cycle_time');
    expect(cycle[4]).toBe('seconds');
    expect(Number(cycle[5]) / Number(cycle[6]) / 3600).toBeCloseTo(want?.orderCycleTimeHours as number, 6);
    expect(Number(row('stock_outs')[5])).toBe(want?.stockOuts);
    const margins = rows.filter((r) => r[1] === 'WH1' && r[2] === 'gross_margin');
    for (const m of margins) {
      const channel = m[3] as string;
      expect(Number(m[6])).toBe(want?.revenue[channel]);
      expect(Number(m[5])).toBe((want?.revenue[channel] ?? 0) - (want?.cogs[channel] ?? 0));
    }
    expect(margins.length).toBeGreaterThan(0);
  });

  it('refuses a bad range and callers without a KPI role', async () => {
    const bad = await rt.api('GET', '/api/kpis?from=2026-11-09&to=2026-11-02');
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    const notADay = await rt.api('GET', '/api/kpis?from=2026-02-30');
    expect(notADay.status).toBe(400);
    const tooLong = await rt.api('GET', '/api/kpis?from=2024-01-01&to=2026-01-01');
    expect(tooLong.status).toBe(400);
    expect((await rt.api('GET', '/api/kpis', { role: 'warehouse-associate' })).status).toBe(403);
    expect((await rt.api('GET', '/api/kpis', { role: null })).status).toBe(401);
  });
});

// ---------------------------------------------------------------------------------------------

const now = () => new Date().toISOString();

async function alerts(status: 'open' | 'cleared' = 'open') {
  const res = await rt.api('GET', `/api/alerts?status=${status}`, { role: 'customer-service' });
  expect(res.status).toBe(200);
  return res.body.items as { key: string; alertId: string; link: string; status: string; message: string }[];
}
const openKeys = async () => (await alerts('open')).map((a) => a.key);
const sweep = () =>
  rt.lambdas.invoke('oversightWorker', {
    scheduleName: 'oversight-sweep',
    scheduledAt: new Date().toISOString(),
  });
const published = async (detailType: 'AlertRaised' | 'AlertCleared', key: string) =>
  (
    (await rt.api('GET', `/local/events?detailType=${detailType}`)).body.items as {
      detail: { data: { key: string } };
    }[]
  )
    .map((e) => e.detail.data)
    .filter((d) => d.key === key);

describe('exception alerts', () => {
  it('channel sync failing: raised once by ChannelSyncDegraded, cleared by ChannelSyncRecovered', async () => {
    const degraded = envelope(
      'ChannelSyncDegraded',
      { channelId: 'shop-1', failingSince: now(), consecutiveFailures: 5, lastError: '503', at: now() },
      now(),
    );
    await send([degraded]);
    await send([envelope('ChannelSyncDegraded', { ...JSON.parse(degraded.Detail).data, at: now() }, now())]);
    const open = (await alerts()).filter((a) => a.key === 'channel_sync:shop-1');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ link: '/settings/channels', status: 'open' });
    expect(await published('AlertRaised', 'channel_sync:shop-1')).toHaveLength(1);

    await send([
      envelope('ChannelSyncRecovered', { channelId: 'shop-1', degradedAt: now(), at: now() }, now()),
    ]);
    expect(await openKeys()).not.toContain('channel_sync:shop-1');
    expect((await alerts('cleared')).map((a) => a.key)).toContain('channel_sync:shop-1');
    expect(await published('AlertCleared', 'channel_sync:shop-1')).toHaveLength(1);

    // A late redelivery of the old degradation does not reopen what a newer recovery closed.
    await send([{ ...degraded }]);
    expect(await openKeys()).not.toContain('channel_sync:shop-1');
  });

  it('wave at cutoff risk: raised by CutoffAtRisk, cleared when the fulfillment ships', async () => {
    const cutoffAt = new Date(Date.now() + HOUR).toISOString();
    await send([
      envelope(
        'CutoffAtRisk',
        {
          fulfillmentId: 'f-risk',
          orderId: 'o-risk',
          locationId: 'WH9',
          cutoffAt,
          minutesLeft: 20,
          minutesNeeded: 45,
          at: now(),
        },
        now(),
      ),
    ]);
    const alert = (await alerts()).find((a) => a.key === 'cutoff_risk:f-risk');
    expect(alert).toMatchObject({ link: '/warehouse' });
    await send([
      envelope(
        'ShipmentConfirmed',
        {
          shipmentId: 's-risk',
          fulfillmentId: 'f-risk',
          orderId: 'o-risk',
          channelId: 'shop',
          externalId: 'o-risk',
          locationId: 'WH9',
          reservationId: 'r-risk',
          lines: [{ lineId: 'L1', sku: 'A', quantity: 1 }],
          carrier: 'ups',
          service: 'ground',
          trackingNumber: '1Z',
          packages: 1,
          shippedAt: new Date(Date.now() + 1000).toISOString(),
        },
        now(),
      ),
    ]);
    expect(await openKeys()).not.toContain('cutoff_risk:f-risk');
  });

  it('count variance beyond tolerance: raised by the count, cleared when the variance is posted', async () => {
    await send([
      envelope(
        'CountSubmitted',
        {
          taskId: 'ct-1',
          locationId: 'WH9',
          binId: 'B-9',
          lines: [
            { sku: 'A', expected: 10, counted: 10, withinTolerance: true },
            { sku: 'B', expected: 10, counted: 4, withinTolerance: false },
          ],
          submittedAt: now(),
        },
        now(),
      ),
    ]);
    const open = (await alerts()).filter((a) => a.key.startsWith('count_variance:ct-1/'));
    expect(open.map((a) => a.key)).toEqual(['count_variance:ct-1/B']);
    expect(open[0]).toMatchObject({ link: '/warehouse/variances' });
    await send([
      envelope(
        'CountVariancePosted',
        {
          varianceId: 'cv-1',
          taskId: 'ct-1',
          sku: 'B',
          locationId: 'WH9',
          binId: 'B-9',
          quantityDelta: -6,
          expected: 10,
          counted: 4,
          reason: 'approved',
          auto: false,
          approvedBy: 'sup',
          postedAt: new Date(Date.now() + 1000).toISOString(),
        },
        now(),
      ),
    ]);
    expect(await openKeys()).not.toContain('count_variance:ct-1/B');
  });

  it('stock-out predicted within lead time: follows StockoutRiskChanged', async () => {
    const risk = (atRisk: boolean) =>
      envelope(
        'StockoutRiskChanged',
        {
          sku: 'TEE',
          locationId: 'WH1',
          atRisk,
          stockoutDate: atRisk ? '2026-12-20' : null,
          leadTimeDays: 21,
        },
        now(),
      );
    await send([risk(true)]);
    expect((await alerts()).find((a) => a.key === 'stockout_risk:WH1/TEE')).toMatchObject({
      link: '/inventory/TEE',
    });
    await send([risk(false)]);
    expect(await openKeys()).not.toContain('stockout_risk:WH1/TEE');
  });

  it('3PL inventory mismatch: raised while the 3PL disagrees, cleared when the reconciliation is approved', async () => {
    await send([
      envelope(
        'InventoryMismatchDetected',
        {
          reconciliationId: 'rec-1',
          locationId: '3PL-1',
          sku: 'TEE',
          ours: { onHand: 40, reserved: 0, available: 40 },
          reported: 37,
          delta: -3,
          evidence: { source: '3pl-snapshot', asOf: now(), webhookId: 'msg_1' },
          detectedAt: now(),
        },
        now(),
      ),
    ]);
    expect(await openKeys()).toContain('inventory_mismatch:3PL-1/TEE');
    await send([
      envelope(
        'ThreePLReconciliationApproved',
        { reconciliationId: 'rec-1', locationId: '3PL-1', skus: ['TEE'], approvedAt: now() },
        now(),
      ),
    ]);
    expect(await openKeys()).not.toContain('inventory_mismatch:3PL-1/TEE');
  });

  it('aging backorder: the sweep raises it past the threshold, the release clears it', async () => {
    const longAgo = new Date(Date.now() - 30 * HOUR).toISOString();
    const fresh = new Date(Date.now() - HOUR).toISOString();
    const backorder = (orderId: string, at: string) =>
      envelope(
        'OrderBackordered',
        {
          orderId,
          channelId: 'shop',
          status: 'backordered',
          lines: [{ lineId: 'L1', sku: 'A', quantity: 1, expectedAt: null }],
          reservedLineIds: [],
          at,
        },
        at,
      );
    await send([backorder('o-old', longAgo), backorder('o-new', fresh)]);
    await sweep();
    const open = await alerts();
    expect(open.find((a) => a.key === 'backorder_aging:o-old')).toMatchObject({ link: '/orders/o-old' });
    expect(open.map((a) => a.key)).not.toContain('backorder_aging:o-new');

    // Acknowledged: someone is on it; it stays open until the cause is gone.
    const alertId = open.find((a) => a.key === 'backorder_aging:o-old')?.alertId;
    const ack = await rt.api('POST', `/api/alerts/${alertId}/acknowledge`, { role: 'supervisor' });
    expect(ack).toMatchObject({ status: 200, body: { status: 'open', acknowledgedBy: expect.any(String) } });

    const at = now();
    await send([
      envelope(
        'OrderReleased',
        {
          orderId: 'o-old',
          channelId: 'shop',
          externalId: 'o-old',
          reservationId: 'r-old',
          locationId: 'WH9',
          nodeType: 'warehouse',
          lines: [{ lineId: 'L1', sku: 'A', quantity: 1 }],
          serviceLevel: 'standard',
          shipTo: null,
          releasedAt: at,
        },
        at,
      ),
    ]);
    expect(await openKeys()).not.toContain('backorder_aging:o-old');
    await sweep();
    expect(await openKeys()).not.toContain('backorder_aging:o-old');
    const late = await rt.api('POST', `/api/alerts/${alertId}/acknowledge`, { role: 'supervisor' });
    expect(late).toMatchObject({ status: 409, body: { error: { code: 'ALERT_NOT_OPEN' } } });
    const unknown = await rt.api('POST', '/api/alerts/al-nope/acknowledge', { role: 'supervisor' });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'ALERT_NOT_FOUND' } } });
  });

  it('intake exceptions piling up: raised at the threshold from settings, cleared once they are resolved', async () => {
    const defaults = await rt.api('GET', '/api/alerts/settings');
    expect(defaults.body).toEqual({ backorderAgeHours: 24, intakeExceptionsOpen: 10, muted: [] });
    const bad = await rt.api('PUT', '/api/alerts/settings', {
      body: { backorderAgeHours: 0, intakeExceptionsOpen: 1 },
    });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect(
      (
        await rt.api('PUT', '/api/alerts/settings', {
          role: 'customer-service',
          body: { backorderAgeHours: 24, intakeExceptionsOpen: 1 },
        })
      ).status,
    ).toBe(403);
    const put = await rt.api('PUT', '/api/alerts/settings', {
      body: { backorderAgeHours: 24, intakeExceptionsOpen: 1 },
    });
    expect(put).toMatchObject({ status: 200, body: { intakeExceptionsOpen: 1, muted: [] } });

    const SECRET = 'oversight-store-key';
    await rt.api('PUT', '/api/channels/store-o', {
      body: { type: 'generic', secret: SECRET, locationIds: ['WH1'] },
    });
    const body = JSON.stringify({
      externalId: 'x-1',
      placedAt: '2026-11-20T10:00:00Z',
      currency: 'USD',
      lines: [{ lineId: '1', sku: 'NO-SUCH-SKU', quantity: 1, unitPrice: '10.00' }],
      shipTo: { name: 'Sam Doe', line1: '1 Main St', city: 'Portland', postalCode: '97201', country: 'US' },
      payment: { status: 'paid' },
    });
    const delivered = await fetch(`${rt.url}/webhooks/orders/store-o`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-qm-signature': `sha256=${hmacSha256(SECRET, body, 'hex')}`,
        'idempotency-key': 'oversight-x-1',
      },
      body,
    }).then((r) => r.json());
    expect(delivered).toMatchObject({ error: { code: 'UNKNOWN_SKU' } });
    const exceptionId = delivered.error.details.exceptionId;

    await sweep();
    const alert = (await alerts()).find((a) => a.key === 'intake_exceptions:open');
    expect(alert).toMatchObject({ link: '/intake' });

    // The SKU is created and the delivery replayed: nothing is left open, the alert closes.
    expect((await rt.api('PUT', '/api/skus/NO-SUCH-SKU', { body: { name: 'Now known' } })).status).toBe(201);
    const replay = await rt.api('POST', `/api/intake/exceptions/${exceptionId}/replay`);
    expect(replay.body.status).toBe('resolved');
    await sweep();
    expect(await openKeys()).not.toContain('intake_exceptions:open');
  });

  it('a muted type is not raised', async () => {
    await rt.api('PUT', '/api/alerts/settings', {
      body: { backorderAgeHours: 24, intakeExceptionsOpen: 10, muted: ['stockout_risk'] },
    });
    await send([
      envelope(
        'StockoutRiskChanged',
        { sku: 'MUTED', locationId: 'WH1', atRisk: true, stockoutDate: null, leadTimeDays: 7 },
        now(),
      ),
    ]);
    expect(await openKeys()).not.toContain('stockout_risk:WH1/MUTED');
    expect(await deadLetters()).toEqual([]);
  });
});
