import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  awaitReleased,
  fulfillmentsAt,
  openFloor,
  packAndShip,
  pickWave,
  planAllWaves,
  sideBySide,
  twoZoneFloor,
  volumeOrderLines,
} from '../support/warehouse-floor.ts';
import { putChannel, sendOrder } from '../workflows/order-release-helpers.ts';

/**
 * The warehouse floor end to end on the local runtime: 200 orders released to one warehouse
 * with two carrier cutoffs, waved (earliest cutoff first), every unit picked and packed through
 * the scan routes, every parcel shipped. Stock must come out exact: on hand down by exactly the
 * units shipped, nothing left reserved, bins summing to on hand, one ShipmentConfirmed each.
 */
const ORDERS = 200;
const SITE = 'FLOOR-WH';
const SKUS = ['FLR-TEE', 'FLR-CAP', 'FLR-MUG', 'FLR-SOCK'];

let rt: TestRuntime;

const sumOf = <T>(items: readonly T[], f: (t: T) => number) => items.reduce((s, t) => s + f(t), 0);

beforeAll(async () => {
  rt = await startTestRuntime();
  await openFloor(rt, twoZoneFloor(SITE, SKUS, 120));
  await putChannel(rt, 'floor-shop', { locationIds: [SITE] });
}, 120_000);

afterAll(async () => {
  await rt?.stop();
});

describe('the warehouse floor at volume', () => {
  it('waves 200 released orders by cutoff, picks, packs and ships every one with exact stock', async () => {
    const orders = Array.from({ length: ORDERS }, (_, i) => ({
      externalId: `floor-${i}`,
      serviceLevel: i % 2 === 0 ? 'expedited' : 'standard',
      lines: volumeOrderLines(SKUS, i),
    }));
    const unitsOrdered = sumOf(orders, (o) => o.lines.length);
    const onHandBefore = await onHandBySku();
    await sideBySide(orders, 8, async (o) => {
      await sendOrder(rt, 'floor-shop', o);
    });

    // Every order becomes one fulfillment at the site.
    const released = await awaitReleased(rt, SITE, ORDERS);
    expect(released).toHaveLength(ORDERS);

    // Waves: each wave's fulfillments share its cutoff; earlier cutoffs are waved first.
    const waves = await planAllWaves(rt, SITE, 40);
    expect(sumOf(waves, (w) => w.fulfillmentIds.length)).toBe(ORDERS);
    const cutoffOf = new Map(released.map((f) => [f.fulfillmentId, f.cutoffAt]));
    for (const wave of waves)
      for (const id of wave.fulfillmentIds) expect(cutoffOf.get(id)).toBe(wave.cutoffAt);
    const cutoffs = waves.map((w) => Date.parse(w.cutoffAt as string));
    expect(cutoffs).toEqual([...cutoffs].sort((a, b) => a - b));
    expect(new Set(cutoffs).size).toBe(2);

    // Two associates per wave pick every unit through the scan routes.
    let picked = 0;
    for (const wave of waves) {
      const counts = await Promise.all([
        pickWave(rt, wave.waveId, { associate: 'ana' }),
        pickWave(rt, wave.waveId, { associate: 'ben' }),
      ]);
      picked += sumOf(counts, (n) => n);
    }
    expect(picked).toBe(unitsOrdered);
    expect(await fulfillmentsAt(rt, SITE, 'picked')).toHaveLength(ORDERS);

    // Two pack stations ship everything.
    await sideBySide(
      released.map((f) => f.fulfillmentId as string),
      2,
      async (id) => {
        const shipped = await packAndShip(rt, id, `1Z${id.replace(/[^A-Za-z0-9]/g, '').slice(-12)}`);
        expect(shipped.status).toBe('shipped');
      },
    );
    await rt.settle();

    // Exactly one ShipmentConfirmed per fulfillment, carrying the order's lines.
    const confirmations = rt.bus.events({ detailType: 'ShipmentConfirmed' }).map((e: any) => e.detail.data);
    expect(confirmations).toHaveLength(ORDERS);
    expect(new Set(confirmations.map((c: any) => c.fulfillmentId)).size).toBe(ORDERS);
    expect(sumOf(confirmations, (c: any) => sumOf(c.lines, (l: any) => l.quantity))).toBe(unitsOrdered);

    // Stock: on hand down by exactly the units shipped, nothing reserved, bins sum to on hand.
    const after = await onHandBySku();
    for (const sku of SKUS) {
      const shippedUnits = sumOf(orders, (o) => sumOf(o.lines, (l) => (l.sku === sku ? l.quantity : 0)));
      expect(after.get(sku)?.onHand).toBe((onHandBefore.get(sku)?.onHand ?? 0) - shippedUnits);
      expect(after.get(sku)?.reserved).toBe(0);
      const check = await rt.api('POST', '/api/inventory/checks', { body: { sku } });
      expect(check.status).toBe(200);
      expect(check.body.mismatches, JSON.stringify(check.body.mismatches)).toEqual([]);
    }
    const bins = await rt.api('GET', `/api/locations/${SITE}/bins`);
    expect(bins.status).toBe(200);
    for (const sku of SKUS) {
      const inBins = sumOf(bins.body.items, (b: any) =>
        sumOf(b.contents, (c: any) => (c.sku === sku ? c.quantity : 0)),
      );
      expect(inBins).toBe(after.get(sku)?.onHand);
    }
    expect(rt.bus.deadLetters.map((d) => `${d.rule}: ${d.error}`)).toEqual([]);
  }, 600_000);
});

async function onHandBySku(): Promise<Map<string, { onHand: number; reserved: number }>> {
  const out = new Map<string, { onHand: number; reserved: number }>();
  for (const sku of SKUS) {
    const res = await rt.api('GET', `/api/inventory/${sku}`);
    expect(res.status).toBe(200);
    const at = res.body.positions.find((p: any) => p.locationId === SITE);
    out.set(sku, { onHand: at?.onHand ?? 0, reserved: at?.reserved ?? 0 });
  }
  return out;
}
