import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoScanner } from '../../functions/inventory/adapters/dynamo-scanner.ts';
import { setSharding } from '../../functions/inventory/core/change-stock.ts';
import { checkInvariants } from '../../functions/inventory/core/check-invariants.ts';
import { reserveStock } from '../../functions/inventory/core/reserve-stock.ts';
import { adjustStock } from '../../functions/inventory/core/stock-commands.ts';
import { readSkuStock } from '../../functions/inventory/core/stock-view.ts';
import type { ReservationLine } from '../../functions/inventory/schemas/reservation.ts';
import { type InventoryHarness, seededRandom, startInventoryHarness } from '../support/faults.ts';

/**
 * Flash-sale concurrency against DynamoDB Local: many more requests than units, every request
 * sent twice (a client retry racing its original), ~64 in flight.
 */
let h: InventoryHarness;
const ctx = { actor: 'load', correlationId: 'flash-sale' };
const IN_FLIGHT = 64;

beforeAll(async () => {
  h = await startInventoryHarness();
  await h.putLocation('WH1');
  for (const sku of ['HOT', 'PART-A', 'PART-B', 'SHARDED']) await h.putSku(sku);
  await h.putSku('BUNDLE', {
    kit: {
      components: [
        { sku: 'PART-A', quantity: 1 },
        { sku: 'PART-B', quantity: 1 },
      ],
    },
  });
});
afterAll(() => h?.stop());

type Outcome = 'reserved' | 'insufficient';

async function runAll<T>(tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let i = next++; i < tasks.length; i = next++) results[i] = await (tasks[i] as () => Promise<T>)();
    }),
  );
  return results;
}

/** Each request twice, shuffled, so a retry may run before, beside or long after its original. */
function twice<T>(requests: T[], seed: number): T[] {
  const all = [...requests, ...requests];
  const random = seededRandom(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j] as T, all[i] as T];
  }
  return all;
}

async function reserve(reservationId: string, lines: ReservationLine[]): Promise<[string, Outcome]> {
  try {
    await reserveStock(h.ports, { reservationId, lines }, ctx);
    return [reservationId, 'reserved'];
  } catch (error) {
    if ((error as { code?: string }).code === 'INSUFFICIENT_STOCK') return [reservationId, 'insufficient'];
    throw error;
  }
}

function outcomesById(results: [string, Outcome][]) {
  const byId = new Map<string, Outcome[]>();
  for (const [id, outcome] of results) byId.set(id, [...(byId.get(id) ?? []), outcome]);
  return byId;
}

async function position(sku: string) {
  const stock = await readSkuStock(h.ports.positions, sku);
  return stock.locations.find((l) => l.locationId === 'WH1')?.buckets;
}

async function expectInvariantsAfterStream() {
  await h.settle();
  const report = await checkInvariants(
    { scanner: dynamoScanner({ db: h.db, table: h.table }), ledger: h.ports.ledger, clock: () => new Date() },
    { lagAllowanceMs: 0 },
  );
  expect(report.mismatches).toEqual([]);
  expect(report.lagging).toBe(0);
}

describe('reservations under a flash sale', () => {
  it('sells exactly 50 of 50 units to 2,000 buyers each retrying once, and the ledger sums to the position', async () => {
    await adjustStock(
      h.ports,
      { sku: 'HOT', locationId: 'WH1', delta: 50, reason: 'stock for sale', idempotencyKey: 'hot-stock-1' },
      ctx,
    );
    const ids = Array.from({ length: 2000 }, (_, i) => `order-${i}`);

    const results = await runAll(
      twice(ids, 7).map((id) => () => reserve(id, [{ sku: 'HOT', locationId: 'WH1', quantity: 1 }])),
    );

    const byId = outcomesById(results);
    const winners = [...byId].filter(([, o]) => o.includes('reserved'));
    expect(winners).toHaveLength(50);
    expect([...byId.values()].every((o) => o.length === 2 && o[0] === o[1])).toBe(true);
    expect(await position('HOT')).toMatchObject({ onHand: 50, reserved: 50, available: 0 });
    await expectInvariantsAfterStream();
  });

  it('never oversells a kit or its components when both are sold at once, each request retried once', async () => {
    for (const sku of ['PART-A', 'PART-B']) {
      await adjustStock(
        h.ports,
        { sku, locationId: 'WH1', delta: 50, reason: 'stock for sale', idempotencyKey: `${sku}-stock-1` },
        ctx,
      );
    }
    const skus = ['BUNDLE', 'PART-A', 'PART-B'];
    const requests = Array.from({ length: 2000 }, (_, i) => ({ id: `mix-${i}`, sku: skus[i % 3] as string }));

    const results = await runAll(
      twice(requests, 11).map((r) => () => reserve(r.id, [{ sku: r.sku, locationId: 'WH1', quantity: 1 }])),
    );

    const byId = outcomesById(results);
    expect([...byId.values()].every((o) => o.length === 2 && o[0] === o[1])).toBe(true);
    const won = requests.filter((r) => byId.get(r.id)?.[0] === 'reserved');
    const unitsOf = (part: string) => won.filter((r) => r.sku === part || r.sku === 'BUNDLE').length;
    expect(unitsOf('PART-A')).toBe(50);
    expect(unitsOf('PART-B')).toBe(50);
    expect(await position('PART-A')).toMatchObject({ onHand: 50, reserved: 50, available: 0 });
    expect(await position('PART-B')).toMatchObject({ onHand: 50, reserved: 50, available: 0 });
    await expectInvariantsAfterStream();
  });

  it('sells out a SKU split into 10 shards to exactly 1,000 of 3,000 buyers and strands no unit', async () => {
    await setSharding(h.ports, 'SHARDED', 10, ctx);
    await adjustStock(
      h.ports,
      {
        sku: 'SHARDED',
        locationId: 'WH1',
        delta: 1000,
        reason: 'flash sale stock',
        idempotencyKey: 'sharded-stock-1',
      },
      ctx,
    );
    const perShard = (await readSkuStock(h.ports.positions, 'SHARDED')).locations[0]?.items.map(
      (i) => i.available,
    );
    expect(perShard).toEqual(Array.from({ length: 10 }, () => 100));

    const results = await runAll(
      Array.from(
        { length: 3000 },
        (_, i) => () => reserve(`sharded-${i}`, [{ sku: 'SHARDED', locationId: 'WH1', quantity: 1 }]),
      ),
    );

    expect(results.filter(([, o]) => o === 'reserved')).toHaveLength(1000);
    expect(await position('SHARDED')).toMatchObject({ onHand: 1000, reserved: 1000, available: 0 });
    await expectInvariantsAfterStream();
  });
});
