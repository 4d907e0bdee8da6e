import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoScanner } from '../../functions/inventory/adapters/dynamo-scanner.ts';
import { setSharding } from '../../functions/inventory/core/change-stock.ts';
import { checkInvariants } from '../../functions/inventory/core/check-invariants.ts';
import { closeReservation } from '../../functions/inventory/core/close-reservation.ts';
import { repairPosition } from '../../functions/inventory/core/repair-position.ts';
import { reserveStock } from '../../functions/inventory/core/reserve-stock.ts';
import { adjustStock, moveStock, receiveStock } from '../../functions/inventory/core/stock-commands.ts';
import { readSkuStock } from '../../functions/inventory/core/stock-view.ts';
import type { ReservationLine } from '../../functions/inventory/schemas/reservation.ts';
import type { Movement } from '../../functions/inventory/schemas/stock.ts';
import { DomainError } from '../../functions/shared/errors.ts';
import { startDynamoDbLocal } from '../../local/dynamodb.ts';
import {
  type HarnessOptions,
  type InventoryHarness,
  seededRandom,
  startInventoryHarness,
} from '../support/faults.ts';
import { freePort } from '../support/ports.ts';

/**
 * Inventory under the faults DynamoDB Local never produces (test/support/faults.ts): conflicts,
 * throttles and replies lost after the write committed, on the client inventory's adapters use.
 * Callers retry as a client would (same idempotency key, same reservation id); every change must
 * land exactly once: exact stock, one ledger movement per applied change.
 * One DynamoDB Local for the file; each scenario has a table (and a stream poller) of its own.
 */
let dynamo: { endpoint: string; stop(): Promise<void> };
const harnesses: InventoryHarness[] = [];
const ctx = { actor: 'faults', correlationId: 'fault-test' };

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({ port: await freePort(), inMemory: true });
}, 120_000);
afterAll(async () => {
  for (const h of harnesses) await h.stop();
  await dynamo?.stop();
});

async function harness(table: string, opts: HarnessOptions = {}) {
  const h = await startInventoryHarness({ ...opts, table, endpoint: dynamo.endpoint });
  harnesses.push(h);
  if (h.faults) h.faults.enabled = false; // set-up runs clean
  await h.putLocation('WH1');
  await h.putLocation('WH2');
  return h;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls like a client: an answer (a domain error below 500 included) ends it; a failure without
 * an answer (an SDK error after the adapter's own retries, or a 503) is retried with the same
 * request, which is what makes a lost reply dangerous.
 */
async function asClient<T>(call: () => Promise<T>): Promise<{ value: T; failures: number }> {
  for (let failures = 0; ; failures++) {
    try {
      return { value: await call(), failures };
    } catch (error) {
      if (error instanceof DomainError && error.status < 500) throw error;
      if (failures >= 8) throw error;
      await sleep(20 * (failures + 1));
    }
  }
}

async function ledgerOf(h: InventoryHarness, skus: readonly string[]): Promise<Movement[]> {
  const out: Movement[] = [];
  for (const sku of skus) {
    for (const loc of (await readSkuStock(h.ports.positions, sku)).locations) {
      for (const item of loc.items) out.push(...(await h.ports.ledger.ofItem(item)));
    }
  }
  return out;
}

async function expectCheckerClean(h: InventoryHarness) {
  const report = await checkInvariants(
    { scanner: dynamoScanner({ db: h.db, table: h.table }), ledger: h.ports.ledger, clock: () => new Date() },
    { lagAllowanceMs: 0 },
  );
  expect(report.mismatches).toEqual([]);
  expect(report.lagging).toBe(0);
}

const bucketsAt = async (h: InventoryHarness, sku: string, loc: string) =>
  (await readSkuStock(h.ports.positions, sku)).locations.find((l) => l.locationId === loc)?.buckets;

describe('inventory under throttles, conflicts and lost replies', () => {
  it('ends with exact stock and one movement per change after clients retry every failure', async () => {
    const h = await harness('qm-faults-retries', {
      faults: { seed: 913, conflict: 0.08, throttle: 0.08, lostReply: 0.2, readThrottle: 0.03 },
    });
    const faults = h.faults as NonNullable<typeof h.faults>;
    await h.putSku('F');
    await h.putSku('G');
    await setSharding(h.ports, 'G', 3, ctx);
    faults.enabled = true;
    const random = seededRandom(4242);

    // Every request is remembered so that a seeded half of them is delivered a second time, as
    // a client whose own timeout fired would send it again.
    type Request =
      | { t: 'stock'; key: string; run: () => Promise<{ applied: boolean }> }
      | { t: 'reserve'; id: string; lines: ReservationLine[] }
      | { t: 'close'; id: string; action: 'consume' | 'release' };
    const appliedAnswers = new Map<string, number>();
    async function send(r: Request) {
      const deliveries = random() < 0.5 ? 2 : 1;
      for (let delivery = 0; delivery < deliveries; delivery++) {
        if (r.t === 'stock') {
          const { value } = await asClient(r.run);
          if (value.applied) appliedAnswers.set(r.key, (appliedAnswers.get(r.key) ?? 0) + 1);
        } else if (r.t === 'reserve') {
          const { value } = await asClient(() =>
            reserveStock(h.ports, { reservationId: r.id, lines: r.lines }, ctx),
          );
          expect(value.reservation.reservationId).toBe(r.id);
        } else {
          await asClient(() => closeReservation(h.ports, r.id, r.action, ctx));
        }
      }
    }

    const positions = [
      ['F', 'WH1'],
      ['F', 'WH2'],
      ['G', 'WH1'],
    ] as const;
    const stockKeys: string[] = [];
    const stock = (key: string, run: (k: string) => Promise<{ applied: boolean }>) => {
      stockKeys.push(key);
      return send({ t: 'stock', key, run: () => run(key) });
    };
    for (const [sku, loc] of positions) {
      await stock(`open-${sku}-${loc}`, (k) =>
        adjustStock(h.ports, { sku, locationId: loc, delta: 30, reason: 'opening', idempotencyKey: k }, ctx),
      );
      for (let i = 0; i < 3; i++) {
        await stock(`goods-in-${sku}-${loc}-${i}`, (k) =>
          receiveStock(h.ports, { sku, locationId: loc, quantity: 10, reason: 'po', idempotencyKey: k }, ctx),
        );
      }
    }
    // 12 reservations: one position, two positions (a transaction), and the sharded SKU.
    const reservations = Array.from({ length: 12 }, (_, i) => ({
      id: `order-${i}`,
      lines: [
        [{ sku: 'F', locationId: 'WH1', quantity: 2 }],
        [
          { sku: 'F', locationId: 'WH2', quantity: 1 },
          { sku: 'G', locationId: 'WH1', quantity: 2 },
        ],
        [{ sku: 'G', locationId: 'WH1', quantity: 3 }],
      ][i % 3] as ReservationLine[],
    }));
    for (const r of reservations) await send({ t: 'reserve', ...r });
    for (let i = 0; i < 3; i++) {
      await stock(`count-${i}`, (k) =>
        adjustStock(
          h.ports,
          { sku: 'F', locationId: 'WH1', delta: -2, reason: 'count', idempotencyKey: k },
          ctx,
        ),
      );
    }
    await stock('to-quarantine', (k) =>
      moveStock(
        h.ports,
        {
          sku: 'F',
          locationId: 'WH2',
          from: 'available',
          to: 'quarantined',
          quantity: 4,
          reason: 'qc',
          idempotencyKey: k,
        },
        ctx,
      ),
    );
    const action = (i: number) => (i < 6 ? 'consume' : i < 9 ? 'release' : undefined);
    for (const [i, r] of reservations.entries()) {
      const a = action(i);
      if (a) await send({ t: 'close', id: r.id, action: a });
    }

    faults.enabled = false;
    await h.settle();
    // What the requests must have done, each once.
    const expected = new Map(
      positions.map(([s, l]) => [`${s}@${l}`, { onHand: 60, reserved: 0, quarantined: 0 }]),
    );
    const at = (s: string, l: string) =>
      expected.get(`${s}@${l}`) as { onHand: number; reserved: number; quarantined: number };
    at('F', 'WH1').onHand -= 6;
    at('F', 'WH2').onHand += 0;
    at('F', 'WH2').quarantined += 4;
    for (const [i, r] of reservations.entries()) {
      for (const line of r.lines) {
        const p = at(line.sku, line.locationId as string);
        if (action(i) === 'consume') p.onHand -= line.quantity;
        if (!action(i)) p.reserved += line.quantity;
      }
    }
    for (const [key, want] of expected) {
      const [sku, loc] = key.split('@') as [string, string];
      expect(await bucketsAt(h, sku, loc), key).toMatchObject({
        ...want,
        available: want.onHand - want.reserved - want.quarantined,
      });
    }

    const ledger = await ledgerOf(h, ['F', 'G']);
    for (const key of stockKeys) {
      expect(ledger.filter((m) => m.idempotencyKey === key).length, key).toBe(1);
      // However many replies were lost, the client was told "applied" at most once.
      expect(appliedAnswers.get(key) ?? 0, key).toBeLessThanOrEqual(1);
    }
    for (const [i, r] of reservations.entries()) {
      const record = await h.ports.reservations.get(r.id);
      expect(record?.status, r.id).toBe(
        action(i) === 'consume' ? 'consumed' : action(i) ? 'released' : 'open',
      );
      const own = ledger.filter((m) => m.reservationId === r.id);
      const net = (field: 'reserved' | 'onHand') => own.reduce((s, m) => s + (m.deltas[field] ?? 0), 0);
      const units = r.lines.reduce((s, l) => s + l.quantity, 0);
      expect(net('reserved'), r.id).toBe(action(i) ? 0 : units);
      expect(net('onHand'), r.id).toBe(action(i) === 'consume' ? -units : 0);
    }
    await expectCheckerClean(h);
    // The run did meet every kind of fault.
    expect(faults.injected.lostReply).toBeGreaterThan(5);
    expect(faults.injected.conflict).toBeGreaterThan(2);
    expect(faults.injected.throttle).toBeGreaterThan(2);
  }, 120_000);

  it('recognises its own committed write after a lost reply: each command applies once and says so', async () => {
    // Every write's reply is lost (after it committed) while enabled; the stream consumer runs clean.
    const h = await harness('qm-faults-lost-replies', {
      faults: { seed: 5, lostReply: 1 },
      consumerFaults: false,
    });
    const faults = h.faults as NonNullable<typeof h.faults>;
    await h.putSku('L');
    await h.putSku('M');
    await adjustStock(
      h.ports,
      { sku: 'L', locationId: 'WH1', delta: 20, reason: 'opening', idempotencyKey: 'open-L' },
      ctx,
    );
    await adjustStock(
      h.ports,
      { sku: 'M', locationId: 'WH1', delta: 20, reason: 'opening', idempotencyKey: 'open-M' },
      ctx,
    );

    /** Runs `call` with every reply lost, then again as the client's retry with no faults. */
    async function lostThenRetried<T>(call: () => Promise<T>): Promise<[T, T]> {
      const lostBefore = faults.injected.lostReply;
      faults.enabled = true;
      let first: T;
      try {
        first = await call();
      } finally {
        faults.enabled = false;
      }
      expect(faults.injected.lostReply).toBeGreaterThan(lostBefore);
      return [first, await call()];
    }

    const adjust = await lostThenRetried(() =>
      adjustStock(
        h.ports,
        { sku: 'L', locationId: 'WH1', delta: 5, reason: 'found', idempotencyKey: 'adj-1' },
        ctx,
      ),
    );
    expect(adjust.map((a) => a.applied)).toEqual([true, false]);
    expect(adjust[1].movement.movementId).toBe(adjust[0].movement.movementId);

    const receipt = await lostThenRetried(() =>
      receiveStock(
        h.ports,
        { sku: 'L', locationId: 'WH1', quantity: 3, reason: 'po', idempotencyKey: 'rcv-1' },
        ctx,
      ),
    );
    expect(receipt.map((a) => a.applied)).toEqual([true, false]);

    const move = await lostThenRetried(() =>
      moveStock(
        h.ports,
        {
          sku: 'L',
          locationId: 'WH1',
          from: 'available',
          to: 'damaged',
          quantity: 2,
          reason: 'qc',
          idempotencyKey: 'mv-1',
        },
        ctx,
      ),
    );
    expect(move.map((a) => a.applied)).toEqual([true, false]);

    const single = await lostThenRetried(() =>
      reserveStock(
        h.ports,
        { reservationId: 'one', lines: [{ sku: 'L', locationId: 'WH1', quantity: 4 }] },
        ctx,
      ),
    );
    expect(single.map((r) => r.replayed)).toEqual([false, true]);

    const multi = await lostThenRetried(() =>
      reserveStock(
        h.ports,
        {
          reservationId: 'two',
          lines: [
            { sku: 'L', locationId: 'WH1', quantity: 1 },
            { sku: 'M', locationId: 'WH1', quantity: 6 },
          ],
        },
        ctx,
      ),
    );
    expect(multi.map((r) => r.replayed)).toEqual([false, true]);

    const consumed = await lostThenRetried(() => closeReservation(h.ports, 'one', 'consume', ctx));
    expect(consumed.map((c) => [c.applied, c.reservation.status])).toEqual([
      [true, 'consumed'],
      [false, 'consumed'],
    ]);
    const released = await lostThenRetried(() => closeReservation(h.ports, 'two', 'release', ctx));
    expect(released.map((c) => [c.applied, c.reservation.status])).toEqual([
      [true, 'released'],
      [false, 'released'],
    ]);

    // 20 + 5 + 3 − 4 consumed; 2 damaged; nothing reserved any more.
    expect(await bucketsAt(h, 'L', 'WH1')).toMatchObject({
      onHand: 24,
      damaged: 2,
      reserved: 0,
      available: 22,
    });
    expect(await bucketsAt(h, 'M', 'WH1')).toMatchObject({ onHand: 20, reserved: 0, available: 20 });
    await h.settle();
    const ledger = await ledgerOf(h, ['L', 'M']);
    expect(ledger.map((m) => [m.sku, m.kind, m.idempotencyKey])).toEqual([
      ['L', 'adjust', 'open-L'],
      ['L', 'adjust', 'adj-1'],
      ['L', 'receive', 'rcv-1'],
      ['L', 'move', 'mv-1'],
      ['L', 'reserve', 'res:one:reserve'],
      ['L', 'reserve', 'res:two:reserve'],
      ['L', 'consume', 'res:one:consume'],
      ['L', 'release', 'res:two:release'],
      ['M', 'adjust', 'open-M'],
      ['M', 'reserve', 'res:two:reserve'],
      ['M', 'release', 'res:two:release'],
    ]);
    await expectCheckerClean(h);
  }, 60_000);
});

describe('a stream record the ledger consumer cannot process', () => {
  it('is retried, given up on and listed, while the other records and consumers go on', async () => {
    type StreamRecord = {
      dynamodb?: { SequenceNumber?: string; NewImage?: Record<string, { S?: string; N?: string }> };
    };
    const recordsOf = (event: unknown) => (event as { Records: StreamRecord[] }).Records;
    // The first change of POISON's position: the ledger consumer throws on any batch holding it.
    const isPoison = (r: StreamRecord) => {
      const image = r.dynamodb?.NewImage;
      return image?.entity?.S === 'StockPosition' && image.sku?.S === 'POISON' && image.version?.N === '1';
    };
    const observed: StreamRecord[] = [];
    const h = await harness('qm-faults-poison', {
      streams: { retry: { attempts: 2, backoffMs: () => 20 } },
      wrapLedgerConsumer: (consume) => async (fn, event) => {
        if (recordsOf(event).some(isPoison)) throw new Error('cannot process this record');
        return consume(fn, event);
      },
      extraConsumers: [
        {
          spec: { name: 'observer', description: 'another mapping on the same stream', fn: 'observer' },
          invoke: async (_fn, event) => {
            observed.push(...recordsOf(event));
          },
        },
      ],
    });
    for (const sku of ['X', 'POISON', 'Y', 'Z']) await h.putSku(sku);
    const adjust = (sku: string, delta: number, key: string) =>
      adjustStock(h.ports, { sku, locationId: 'WH1', delta, reason: 'count', idempotencyKey: key }, ctx);

    // Written while no poller runs, so the restarted consumer gets all three in one batch.
    await h.restartStreams(async () => {
      await adjust('X', 5, 'x-count-1');
      await adjust('POISON', 1, 'poison-count-1');
      await adjust('Y', 7, 'y-count-1');
    });
    await h.settle();

    const failures = h.poller.failures;
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      consumer: 'inventory-ledger',
      keys: { pk: { S: 'STOCK#POISON' }, sk: { S: 'LOC#WH1' } },
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
      DDBStreamBatchInfo: { batchSize: 1 },
    });
    const ledger = await ledgerOf(h, ['X', 'POISON', 'Y']);
    expect(ledger.map((m) => m.idempotencyKey).sort()).toEqual(['x-count-1', 'y-count-1']);
    // The other consumer is not held back: it saw the poison record and what came after it.
    const seenPoison = observed.findIndex(isPoison);
    expect(seenPoison).toBeGreaterThanOrEqual(0);
    expect(observed.slice(seenPoison).some((r) => r.dynamodb?.NewImage?.sku?.S === 'Y')).toBe(true);

    // Later changes still reach the ledger.
    await adjust('Z', 2, 'z-count-1');
    await h.settle();
    expect((await ledgerOf(h, ['Z'])).map((m) => m.idempotencyKey)).toEqual(['z-count-1']);
    expect(h.poller.failures).toHaveLength(1);

    // The checker finds the change that has no movement, and only that; a repair closes the gap.
    const report = await checkInvariants(
      {
        scanner: dynamoScanner({ db: h.db, table: h.table }),
        ledger: h.ports.ledger,
        clock: () => new Date(),
      },
      { lagAllowanceMs: 0 },
    );
    expect(report.mismatches.length).toBeGreaterThan(0);
    expect(report.mismatches.every((m) => m.sku === 'POISON' && m.locationId === 'WH1')).toBe(true);
    expect(report.mismatches.some((m) => m.invariant === 4)).toBe(true);
    await repairPosition(
      h.ports,
      {
        sku: 'POISON',
        locationId: 'WH1',
        reason: 'ledger record given up on',
        idempotencyKey: 'repair-poison-1',
      },
      ctx,
      { lagAllowanceMs: 0 },
    );
    await expectCheckerClean(h);
  }, 60_000);
});
