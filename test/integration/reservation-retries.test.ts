import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoScanner } from '../../functions/inventory/adapters/dynamo-scanner.ts';
import { homeShard } from '../../functions/inventory/core/allocation.ts';
import { setSharding } from '../../functions/inventory/core/change-stock.ts';
import { checkInvariants } from '../../functions/inventory/core/check-invariants.ts';
import { closeReservation } from '../../functions/inventory/core/close-reservation.ts';
import { reserveStock } from '../../functions/inventory/core/reserve-stock.ts';
import { adjustStock } from '../../functions/inventory/core/stock-commands.ts';
import { readSkuStock } from '../../functions/inventory/core/stock-view.ts';
import { type InventoryHarness, startInventoryHarness } from '../support/faults.ts';

/**
 * A repeated reservation (same reservation id) never holds stock twice and answers its first
 * outcome (docs/decisions.md, 2026-11-22), whatever happened to the stock in between: found by
 * the model test (test/integration/inventory-model.test.ts) and pinned down here.
 */
let h: InventoryHarness;
const ctx = { actor: 'retries', correlationId: 'retries-test' };
const LOC = 'WH1';

beforeAll(async () => {
  h = await startInventoryHarness({ table: 'qm-reservation-retries' });
  await h.putLocation(LOC);
}, 120_000);
afterAll(() => h?.stop());

let seq = 0;
async function newSku(shards = 1): Promise<string> {
  const sku = `RT-${++seq}`;
  await h.putSku(sku);
  if (shards > 1) await setSharding(h.ports, sku, shards, ctx);
  return sku;
}

const adjust = (sku: string, delta: number) =>
  adjustStock(
    h.ports,
    { sku, locationId: LOC, delta, reason: 'stock', idempotencyKey: `${sku}-${++seq}` },
    ctx,
  );

const reserve = (reservationId: string, sku: string, quantity: number) =>
  reserveStock(h.ports, { reservationId, lines: [{ sku, locationId: LOC, quantity }] }, ctx);

/** The SKU's stock here, summed over its shards, and the units each shard item has reserved. */
async function stockOf(sku: string) {
  const here = (await readSkuStock(h.ports.positions, sku)).locations.find((l) => l.locationId === LOC);
  return {
    buckets: here?.buckets,
    reservedByShard: Object.fromEntries((here?.items ?? []).map((i) => [i.shard, i.reserved])),
  };
}

/** A reservation id whose home shard (where its single write goes) is `shard`. */
function idWithHome(prefix: string, sku: string, shards: number, shard: number): string {
  for (let n = 0; ; n++) {
    const id = `${prefix}-${n}`;
    if (homeShard(id, sku, LOC, shards) === shard) return id;
  }
}

async function invariantsHold() {
  await h.settle();
  const report = await checkInvariants(
    { scanner: dynamoScanner({ db: h.db, table: h.table }), ledger: h.ports.ledger, clock: () => new Date() },
    { lagAllowanceMs: 0 },
  );
  expect(report.mismatches).toEqual([]);
}

describe('a repeat of an open reservation of a sharded SKU', () => {
  it('answers the first outcome when the first attempt was spread away from its home shard, which has stock again', async () => {
    const sku = await newSku(2);
    await adjust(sku, 2); // one unit on each shard
    const home = 0;
    const other = 1;
    const retried = idWithHome('spread', sku, 2, home);
    // Another reservation empties the home shard, so the first attempt is spread to the other one.
    const blocker = idWithHome('blocker', sku, 2, home);
    await reserve(blocker, sku, 1);
    const first = await reserve(retried, sku, 1);
    expect(first.replayed).toBe(false);
    expect(first.reservation.allocations).toEqual([expect.objectContaining({ shard: other, quantity: 1 })]);
    // The home shard gets its unit back.
    await h.settle();
    await closeReservation(h.ports, blocker, 'release', ctx);

    const again = await reserve(retried, sku, 1);

    expect(again.replayed).toBe(true);
    expect(again.reservation).toMatchObject({ reservationId: retried, status: 'open', via: 'tx' });
    expect(again.reservation.allocations).toEqual(first.reservation.allocations);
    // Held once, on the shard of the first outcome, right away (not only after the stream ran).
    expect(await stockOf(sku)).toEqual({
      buckets: expect.objectContaining({ onHand: 2, reserved: 1, available: 1 }),
      reservedByShard: { [home]: 0, [other]: 1 },
    });
    await invariantsHold();
    expect((await stockOf(sku)).buckets).toMatchObject({ onHand: 2, reserved: 1, available: 1 });
    // It closes as the first outcome said, and the units come back once.
    await closeReservation(h.ports, retried, 'consume', ctx);
    expect((await stockOf(sku)).buckets).toMatchObject({ onHand: 1, reserved: 0, available: 1 });
    await invariantsHold();
  });

  it('answers a closed reservation retried while its home shard has stock, holding nothing', async () => {
    const sku = await newSku(2);
    await adjust(sku, 4);
    const id = idWithHome('closed-sharded', sku, 2, 1);
    const first = await reserve(id, sku, 2);
    await h.settle();
    await closeReservation(h.ports, id, 'release', ctx);

    const again = await reserve(id, sku, 2);

    expect(again.replayed).toBe(true);
    expect(again.reservation).toMatchObject({ reservationId: id, status: 'released' });
    expect(again.reservation.allocations.map((a) => [a.shard, a.quantity])).toEqual(
      first.reservation.allocations.map((a) => [a.shard, a.quantity]),
    );
    expect((await stockOf(sku)).buckets).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
    await invariantsHold();
    expect((await stockOf(sku)).buckets).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
  });
});

describe('a late retry of a closed single-position reservation whose stock has run out', () => {
  it.each(['consume', 'release'] as const)(
    'answers the %sd reservation, not INSUFFICIENT_STOCK',
    async (action) => {
      const sku = await newSku();
      await adjust(sku, 3);
      const id = `late-${action}-${sku}`;
      const first = await reserve(id, sku, 3);
      await h.settle();
      await closeReservation(h.ports, id, action, ctx);
      // The stock runs out after the close: consumed by the shipment, or taken by someone else.
      if (action === 'release') await reserve(`other-${sku}`, sku, 3);
      const before = (await stockOf(sku)).buckets;
      expect(before?.available).toBe(0);

      const again = await reserve(id, sku, 3);

      expect(again.replayed).toBe(true);
      expect(again.reservation).toMatchObject({
        reservationId: id,
        status: action === 'consume' ? 'consumed' : 'released',
        lines: [{ sku, locationId: LOC, quantity: 3 }],
      });
      expect(again.reservation.allocations.map(({ version: _v, ...a }) => a)).toEqual(
        first.reservation.allocations,
      );
      await invariantsHold();
      expect((await stockOf(sku)).buckets).toEqual(before);
    },
  );

  it('still refuses a reservation never made when the stock is short', async () => {
    const sku = await newSku();
    await adjust(sku, 1);
    await expect(reserve(`never-${sku}`, sku, 2)).rejects.toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      details: { shortages: [{ sku, locationId: LOC, requested: 2, available: 1 }] },
    });
    expect(await h.ports.reservations.get(`never-${sku}`)).toBeUndefined();
  });
});

/**
 * A single-position reservation is recognised by its retry key for the store's retry window
 * (DynamoDB: the transaction's ClientRequestToken, 10 minutes). Within it a retry answers the
 * first outcome; after it the key is forgotten — stood for here by a store that sends every
 * reservation under another key, as DynamoDB would treat a token it no longer remembers — and the
 * repeat reserves again until the stream gives the units back. One reservation either way.
 */
describe('a single-position reservation retried after a lost reply', () => {
  const lostReply = (): InventoryHarness['ports'] => ({
    ...h.ports,
    positions: {
      ...h.ports.positions,
      async reserve(change, retryKey) {
        await h.ports.positions.reserve(change, retryKey);
        throw Object.assign(new Error('socket hang up (reply lost after commit)'), { name: 'TimeoutError' });
      },
    },
  });
  const afterTheWindow = (): InventoryHarness['ports'] => ({
    ...h.ports,
    positions: {
      ...h.ports.positions,
      reserve: (change, retryKey) => h.ports.positions.reserve(change, `${retryKey}#token-forgotten`),
    },
  });
  const cmd = (id: string, sku: string, quantity: number) => ({
    reservationId: id,
    lines: [{ sku, locationId: LOC, quantity }],
  });

  async function ledgerOf(sku: string, id: string) {
    const movements = await h.ports.ledger.ofItem({ sku, locationId: LOC, shard: 0 });
    return movements.filter((m) => m.reservationId === id).map((m) => [m.kind, m.deltas.reserved]);
  }

  it('within the window: the retry answers the reservation the lost reply made, and holds nothing more', async () => {
    const sku = await newSku();
    await adjust(sku, 5);
    const id = `lost-within-${sku}`;
    await expect(reserveStock(lostReply(), cmd(id, sku, 2), ctx)).rejects.toThrow('reply lost');

    const again = await reserveStock(h.ports, cmd(id, sku, 2), ctx);

    expect(again.replayed).toBe(true);
    expect(again.reservation).toMatchObject({ reservationId: id, status: 'open', via: 'single' });
    expect((await stockOf(sku)).buckets).toMatchObject({ onHand: 5, reserved: 2, available: 3 });
    await invariantsHold();
    expect(await ledgerOf(sku, id)).toEqual([['reserve', 2]]);
    // It closes once, and its units come back once.
    await closeReservation(h.ports, id, 'release', ctx);
    expect((await stockOf(sku)).buckets).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    await invariantsHold();
  });

  it('within the window, after it was released: the retry answers the released reservation', async () => {
    const sku = await newSku();
    await adjust(sku, 5);
    const id = `closed-within-${sku}`;
    await expect(reserveStock(lostReply(), cmd(id, sku, 2), ctx)).rejects.toThrow('reply lost');
    await h.settle();
    await closeReservation(h.ports, id, 'release', ctx);

    const again = await reserveStock(h.ports, cmd(id, sku, 2), ctx);

    expect(again).toMatchObject({ replayed: true, reservation: { reservationId: id, status: 'released' } });
    expect((await stockOf(sku)).buckets).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    await invariantsHold();
    expect(await ledgerOf(sku, id)).toEqual([
      ['reserve', 2],
      ['release', -2],
    ]);
  });

  it.each([
    ['still open', false],
    ['released', true],
  ] as const)(
    'after the window (%s): the repeat is given back once by the stream, and one reservation stays',
    async (_, close) => {
      const sku = await newSku();
      await adjust(sku, 5);
      const id = `lost-after-${close ? 'closed' : 'open'}-${sku}`;
      await expect(reserveStock(lostReply(), cmd(id, sku, 2), ctx)).rejects.toThrow('reply lost');
      await h.settle();
      if (close) await closeReservation(h.ports, id, 'release', ctx);
      const record = await h.ports.reservations.get(id);

      await reserveStock(afterTheWindow(), cmd(id, sku, 2), ctx);
      await invariantsHold();

      // The record is the first one; the stock is as if the repeat never came.
      expect(await h.ports.reservations.get(id)).toEqual(record);
      expect((await stockOf(sku)).buckets).toMatchObject({
        onHand: 5,
        reserved: close ? 0 : 2,
        available: close ? 5 : 3,
      });
      expect(await ledgerOf(sku, id)).toEqual([
        ['reserve', 2],
        ...(close ? [['release', -2]] : []),
        ['reserve', 2],
        ['release', -2],
      ]);
      // The stream delivering the repeat again gives nothing back a second time.
      await h.restartStreams();
      await invariantsHold();
      expect((await stockOf(sku)).buckets).toMatchObject({ reserved: close ? 0 : 2 });
      if (!close) {
        await closeReservation(h.ports, id, 'consume', ctx);
        expect((await stockOf(sku)).buckets).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
        await invariantsHold();
      }
    },
  );
});
