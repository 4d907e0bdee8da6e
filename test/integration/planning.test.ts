import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST, type SystemManifest } from '../../lib/manifest/index.ts';
import { putEvent, shipmentConfirmed } from '../support/finance.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Planning through its routes: a demand history uploaded as CSV (bad files refused whole,
 * re-uploads replacing days), shipments adding to it, a promotion excluded, a run → backtest
 * beside the baseline, a forecast per SKU × location with the method its pattern asks for, PO
 * and transfer suggestions with their inputs, one turned into a PO and one into a transfer, and
 * a stock-out risk announced once.
 */
const planningRules: SystemManifest = {
  ...MANIFEST,
  rules: MANIFEST.rules.filter((r) => r.name.startsWith('planning-')),
};

let rt: TestRuntime;
const DAY = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const dayOf = (offset: number) =>
  new Date(Date.parse(`${today}T00:00:00Z`) + offset * DAY).toISOString().slice(0, 10);
const HISTORY = 70;
const WEEKLY = [14, 12, 10, 9, 10, 6, 11];

/** A fixed-seed history: PA sells daily at both sites with a weekly pattern, PB now and then at WH1. */
function historyCsv(): string {
  let seed = 19;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const rows = ['date,sku,locationId,quantity'];
  for (let i = HISTORY; i >= 1; i--) {
    const date = dayOf(-i);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const base = WEEKLY[weekday] as number;
    rows.push(`${date},PA,WH1,${Math.max(0, Math.round(base + (random() - 0.5) * 4))}`);
    rows.push(`${date},PA,WH2,${Math.max(0, Math.round(base / 2 + (random() - 0.5) * 2))}`);
    rows.push(`${date},PB,WH1,${random() < 0.25 ? 2 + Math.floor(random() * 5) : 0}`);
  }
  return `${rows.join('\n')}\n`;
}

const upload = (csv: string, role: 'admin' | 'supervisor' = 'admin') =>
  rt.api('POST', '/api/planning/demand-history', {
    body: csv,
    headers: { 'content-type': 'text/csv' },
    role,
  });

const history = async (sku: string, locationId: string) =>
  (await rt.api('GET', `/api/planning/demand-history?sku=${sku}&locationId=${locationId}`)).body.days as {
    date: string;
    quantity: number;
    excluded: boolean;
  }[];

async function runPlanning(): Promise<string> {
  const res = await rt.api('POST', '/api/planning/runs', {
    body: { asOf: today },
    role: 'inventory-controller',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await rt.settle();
  return res.body.runId;
}

beforeAll(async () => {
  rt = await startTestRuntime({ manifest: planningRules });
  for (const id of ['WH1', 'WH2'])
    await rt.api('PUT', `/api/locations/${id}`, { body: { name: id, type: 'warehouse' } });
  for (const sku of ['PA', 'PB']) await rt.api('PUT', `/api/skus/${sku}`, { body: { name: sku } });
  const supplier = await rt.api('PUT', '/api/suppliers/ACME', {
    body: { name: 'Acme', leadTimeDays: 7, currency: 'USD', moq: 20, casePack: 12 },
  });
  expect(supplier.status, JSON.stringify(supplier.body)).toBeLessThan(300);
  // A PO placed and cancelled: planning learns that PA and PB are bought from ACME, nothing incoming.
  const po = await rt.api('POST', '/api/purchase-orders', {
    body: {
      poId: 'PO-SEED',
      supplierId: 'ACME',
      locationId: 'WH1',
      expectedAt: dayOf(30),
      lines: [
        { sku: 'PA', quantity: 10, unitCost: '2.00' },
        { sku: 'PB', quantity: 10, unitCost: '5.00' },
      ],
    },
  });
  expect(po.status, JSON.stringify(po.body)).toBe(201);
  expect(
    (await rt.api('POST', '/api/purchase-orders/PO-SEED/cancel', { body: { reason: 'seed' } })).status,
  ).toBe(200);
  // WH1 holds far more PA than it needs; WH2 none; PB none anywhere.
  const receipt = await rt.api('POST', '/api/inventory/receipts', {
    body: {
      sku: 'PA',
      locationId: 'WH1',
      quantity: 600,
      reason: 'opening stock',
      idempotencyKey: 'plan-open-1',
    },
  });
  expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
  await rt.settle();
}, 120_000);

afterAll(async () => {
  await rt?.stop();
});

describe('demand history', () => {
  it('refuses a file with bad rows, naming each, and writes nothing of it', async () => {
    const bad = [
      'date,sku,locationId,quantity',
      `${dayOf(-3)},PA,WH1,5`,
      `${dayOf(-3)},NOPE,WH1,5`,
      '2026-02-30,PA,WH1,5',
      `${dayOf(-2)},PA,WH1,-4`,
      `${dayOf(-2)},PB,NOWHERE,1`,
    ].join('\n');
    const format = await upload(bad);
    expect(format.status).toBe(400);
    expect(format.body.error.code).toBe('CSV_REJECTED');
    expect(format.body.error.details.issues).toEqual([
      expect.objectContaining({ row: 4, field: 'date' }),
      expect.objectContaining({ row: 5, field: 'quantity', message: 'must not be negative' }),
    ]);
    const unknown = await upload(
      bad
        .split('\n')
        .filter((_, i) => i !== 3 && i !== 4)
        .join('\n'),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.issues).toEqual([
      expect.objectContaining({ row: 3, field: 'sku', message: 'unknown SKU NOPE' }),
      expect.objectContaining({ row: 4, field: 'locationId', message: 'unknown location NOWHERE' }),
    ]);
    expect(await history('PA', 'WH1')).toEqual([]);
    expect((await upload(bad, 'supervisor')).status).toBe(403);
    const json = await rt.api('POST', '/api/planning/demand-history', { body: { rows: [] } });
    expect(json.status).toBe(415);
  });

  it('takes a good file, and a re-upload of the same days replaces them, never doubles', async () => {
    const first = await upload(historyCsv());
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ rows: HISTORY * 3, series: 3 });
    const again = await upload(historyCsv());
    expect(again.body.rows).toBe(HISTORY * 3);
    const day = dayOf(-5);
    const before = (await history('PA', 'WH1')).find((d) => d.date === day)?.quantity;
    expect(before).toBeGreaterThan(0);
    expect(
      (await upload(`date,sku,locationId,quantity\n${day},PA,WH1,${(before as number) + 1}\n`)).status,
    ).toBe(200);
    const days = await history('PA', 'WH1');
    expect(days).toHaveLength(HISTORY);
    expect(days.find((d) => d.date === day)?.quantity).toBe((before as number) + 1);
  });

  it('adds shipped units per ship day, once per event', async () => {
    const shipment = shipmentConfirmed(
      'PO-ORD-1',
      'WH2',
      [{ lineId: '1', sku: 'PB', quantity: 3 }],
      `${dayOf(-1)}T10:00:00Z`,
    );
    const eventId = await putEvent(rt, shipment);
    await putEvent(rt, { ...shipment, eventId });
    expect(await history('PB', 'WH2')).toEqual([{ date: dayOf(-1), quantity: 3, excluded: false }]);
  });

  it('marks a promotion on the history, which leaves it out', async () => {
    const put = await rt.api('PUT', '/api/planning/events', {
      role: 'inventory-controller',
      body: {
        events: [{ eventId: 'spring', name: 'Spring sale', from: dayOf(-40), to: dayOf(-38), skus: ['PA'] }],
      },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const marked = (await history('PA', 'WH1')).filter((d) => d.excluded).map((d) => d.date);
    expect(marked).toEqual([dayOf(-40), dayOf(-39), dayOf(-38)]);
    expect((await history('PB', 'WH1')).some((d) => d.excluded)).toBe(false);
    const bad = await rt.api('PUT', '/api/planning/events', {
      body: { events: [{ eventId: 'x', name: 'x', from: dayOf(-1), to: dayOf(-3) }] },
    });
    expect(bad.status).toBe(400);
  });
});

describe('a planning run', () => {
  let runId: string;

  it('runs asynchronously and reports its backtest beside seasonal naive', async () => {
    runId = await runPlanning();
    const run = await rt.api('GET', `/api/planning/runs/${runId}`, { role: 'supervisor' });
    expect(run.status).toBe(200);
    expect(run.body.status).toBe('succeeded');
    const { backtest } = run.body;
    for (const figure of [
      backtest.wape,
      backtest.bias,
      backtest.mase,
      backtest.baseline.wape,
      backtest.baseline.mase,
    ])
      expect(typeof figure).toBe('number');
    // Each series uses a method only where it beat the baseline, so the run cannot do worse.
    expect(backtest.wape).toBeLessThanOrEqual(backtest.baseline.wape);
    expect((await rt.api('GET', '/api/planning/runs/nope')).status).toBe(404);
    // A retried request with the same Idempotency-Key answers the same run.
    const headers = { 'idempotency-key': 'plan-retry-1' };
    const first = await rt.api('POST', '/api/planning/runs', { body: { asOf: today }, headers });
    const again = await rt.api('POST', '/api/planning/runs', { body: { asOf: today }, headers });
    expect(first.status).toBe(202);
    expect(again.body.runId).toBe(first.body.runId);
    await rt.settle();
    expect((await rt.api('GET', `/api/planning/runs/${first.body.runId}`)).body.status).toBe('succeeded');
  });

  it('forecasts each SKU × location daily with the method its demand pattern asks for', async () => {
    const pa = await rt.api('GET', '/api/planning/forecasts/PA?locationId=WH1');
    expect(pa.status, JSON.stringify(pa.body)).toBe(200);
    expect(pa.body.method).toBe('holt-winters');
    expect(pa.body.daily).toHaveLength(56);
    expect(pa.body.daily[0].date).toBe(today);
    const week = pa.body.daily.slice(0, 7).reduce((s: number, d: { quantity: number }) => s + d.quantity, 0);
    expect(week).toBeGreaterThan(55);
    expect(week).toBeLessThan(100);
    expect(pa.body.backtest.wape).toBeLessThan(pa.body.backtest.baselineWape);
    const pb = await rt.api('GET', '/api/planning/forecasts/PB?locationId=WH1');
    expect(pb.body.method).toBe('sba');
    // Two locations: which one must be said.
    expect((await rt.api('GET', '/api/planning/forecasts/PA')).status).toBe(400);
    expect((await rt.api('GET', '/api/planning/forecasts/PA?locationId=WH9')).status).toBe(404);
  });

  it('suggests a transfer from excess to shortage and POs in MOQ and whole cases, showing their inputs', async () => {
    const transfers = (await rt.api('GET', '/api/planning/suggestions?type=transfer')).body.items;
    expect(transfers).toEqual([
      expect.objectContaining({ sku: 'PA', locationId: 'WH2', fromLocationId: 'WH1', stockoutDate: today }),
    ]);
    const t = transfers[0];
    expect(t.quantity).toBeGreaterThan(0);
    expect(t.inputs).toMatchObject({ leadTimeDays: 7, onHand: 0, incoming: 0, backordered: 0 });
    // ROP = d̄·L + SS, as shown.
    expect(t.inputs.reorderPoint).toBeCloseTo(t.inputs.dailyDemand * 7 + t.inputs.safetyStock, 1);

    const pos = (await rt.api('GET', '/api/planning/suggestions?type=po')).body.items;
    const pb = pos.find((s: { sku: string }) => s.sku === 'PB');
    expect(pb).toMatchObject({ locationId: 'WH1', supplierId: 'ACME', stockoutDate: today });
    expect(pb.quantity % 12).toBe(0);
    expect(pb.quantity).toBeGreaterThanOrEqual(20);
    expect(Object.keys(pb.inputs).sort()).toEqual(
      [
        'backordered',
        'dailyDemand',
        'incoming',
        'leadTimeDays',
        'onHand',
        'reorderPoint',
        'safetyStock',
      ].sort(),
    );
    // PA at WH1 has plenty: no PO for it.
    expect(
      pos.some((s: { sku: string; locationId: string }) => s.sku === 'PA' && s.locationId === 'WH1'),
    ).toBe(false);
    expect((await rt.api('GET', '/api/planning/suggestions?type=nope')).status).toBe(400);
    expect((await rt.api('GET', '/api/planning/suggestions', { role: 'warehouse-associate' })).status).toBe(
      403,
    );
  });

  it('announces a predicted stock-out within lead time once, and turns suggestions into a PO and a transfer', async () => {
    const risk = async () =>
      (await rt.api('GET', '/local/events?detailType=StockoutRiskChanged')).body.items.map(
        (e: { detail: { data: Record<string, unknown> } }) => e.detail.data,
      );
    expect(await risk()).toEqual(
      expect.arrayContaining([
        { sku: 'PB', locationId: 'WH1', atRisk: true, stockoutDate: today, leadTimeDays: 7 },
      ]),
    );
    const announced = (await risk()).length;

    const pb = (await rt.api('GET', '/api/planning/suggestions?type=po')).body.items.find(
      (s: { sku: string }) => s.sku === 'PB',
    );
    const po = await rt.api('POST', '/api/purchase-orders', {
      role: 'inventory-controller',
      body: {
        poId: 'PO-PLAN-1',
        supplierId: pb.supplierId,
        locationId: pb.locationId,
        expectedAt: dayOf(3),
        lines: [{ sku: 'PB', quantity: pb.quantity, unitCost: '5.00' }],
      },
    });
    expect(po.status, JSON.stringify(po.body)).toBe(201);
    const t = (await rt.api('GET', '/api/planning/suggestions?type=transfer')).body.items[0];
    const transfer = await rt.api('POST', '/api/transfers', {
      role: 'inventory-controller',
      body: {
        transferId: 'T-PLAN-1',
        fromLocationId: t.fromLocationId,
        toLocationId: t.locationId,
        lines: [{ sku: t.sku, quantity: t.quantity }],
      },
    });
    expect(transfer.status, JSON.stringify(transfer.body)).toBe(201);

    // The next run sees PB incoming at WH1: no PO suggestion for it there, risk unchanged.
    const next = await runPlanning();
    expect((await rt.api('GET', `/api/planning/runs/${next}`)).body.status).toBe('succeeded');
    const pos = (await rt.api('GET', '/api/planning/suggestions?type=po')).body.items;
    expect(
      pos.filter((s: { sku: string; locationId: string }) => s.sku === 'PB' && s.locationId === 'WH1'),
    ).toEqual([]);
    expect((await rt.api('GET', '/api/planning/forecasts/PB?locationId=WH1')).body.method).toBe('sba');
    expect((await risk()).length).toBe(announced);
  });

  it('reports supplier performance', async () => {
    const res = await rt.api('GET', '/api/planning/suppliers', { role: 'finance' });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        supplierId: 'ACME',
        name: 'Acme',
        purchaseOrders: 2,
        statedLeadTimeDays: 7,
        leadTimeMeanDays: null,
        receivingExceptions: 0,
      }),
    ]);
  });
});
