import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoInventory } from '../../functions/inventory/adapters/dynamo-inventory.ts';
import { dynamoScanner } from '../../functions/inventory/adapters/dynamo-scanner.ts';
import {
  binStockOf,
  binsAt,
  consumeReservationFromBins,
  moveBetweenBins,
  reservationOf,
  shortPickReservation,
} from '../../functions/inventory/api.ts';
import { checkInvariants } from '../../functions/inventory/core/check-invariants.ts';
import { inventoryKeys } from '../../functions/inventory/keys.ts';
import { upgradeBins } from '../../local/upgrade-data.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** Bins through the local runtime: routes, the published functions fulfillment calls, the checker. */
let rt: TestRuntime;
let db: DynamoDBDocumentClient;
const ctx = { actor: 'test:bins', correlationId: 'bins-test' };

beforeAll(async () => {
  rt = await startTestRuntime();
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: `http://127.0.0.1:${rt.config.ddbPort}`,
      region: rt.config.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  await rt.api('PUT', '/api/locations/WH1', { body: { name: 'WH1', type: 'warehouse' } });
  for (const sku of ['BIN-A', 'BIN-C', 'BIN-D', 'BIN-LEGACY']) {
    await rt.api('PUT', `/api/skus/${sku}`, { body: { name: sku } });
  }
  const bins = [
    ['A-01', { zone: 'A', walkOrder: 10, type: 'pick', barcode: 'LBL-A01' }],
    ['B-01', { zone: 'B', walkOrder: 20, type: 'bulk', capacity: 500 }],
  ] as const;
  for (const [binId, body] of bins) {
    const res = await rt.api('PUT', `/api/locations/WH1/bins/${binId}`, { body, role: 'supervisor' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}, 120_000);
afterAll(async () => {
  db?.destroy();
  await rt?.stop();
});

const receive = (sku: string, quantity: number, key: string, binId?: string) =>
  rt.api('POST', '/api/inventory/receipts', {
    body: {
      sku,
      locationId: 'WH1',
      quantity,
      reason: 'goods in',
      idempotencyKey: key,
      ...(binId ? { binId } : {}),
    },
    role: 'warehouse-associate',
  });

const adjust = (sku: string, delta: number, key: string, binId?: string) =>
  rt.api('POST', '/api/inventory/adjustments', {
    body: {
      sku,
      locationId: 'WH1',
      delta,
      reason: 'count',
      idempotencyKey: key,
      ...(binId ? { binId } : {}),
    },
  });

const binMove = (body: Record<string, unknown>) =>
  rt.api('POST', '/api/inventory/bin-moves', {
    body: { locationId: 'WH1', ...body },
    role: 'warehouse-associate',
  });

async function position(sku: string) {
  const res = await rt.api('GET', `/api/inventory/${sku}`);
  expect(res.status).toBe(200);
  return res.body.positions.find((p: { locationId: string }) => p.locationId === 'WH1');
}

async function ledger(sku: string) {
  await rt.settle();
  const res = await rt.api('GET', `/api/inventory/${sku}/ledger?order=asc`);
  return res.body.items as Record<string, unknown>[];
}

describe('bin definitions', () => {
  it('lists RECEIVING and STAGING without a definition, then the defined bins in walk order', async () => {
    const res = await rt.api('GET', '/api/locations/WH1/bins', { role: 'warehouse-associate' });

    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { binId: 'RECEIVING', zone: '', walkOrder: 0, type: 'receiving', contents: [] },
      { binId: 'STAGING', zone: '', walkOrder: 0, type: 'staging', contents: [] },
      { binId: 'A-01', zone: 'A', walkOrder: 10, type: 'pick', barcode: 'LBL-A01', contents: [] },
      { binId: 'B-01', zone: 'B', walkOrder: 20, type: 'bulk', capacity: 500, contents: [] },
    ]);
  });

  it('refuses unknown locations, bad ids and bodies, and callers who do not plan bins', async () => {
    const body = { zone: 'C', walkOrder: 1, type: 'pick' };
    expect((await rt.api('PUT', '/api/locations/NOPE/bins/C-01', { body })).status).toBe(404);
    expect((await rt.api('GET', '/api/locations/NOPE/bins')).status).toBe(404);
    expect((await rt.api('PUT', '/api/locations/WH1/bins/C%2301', { body })).status).toBe(400);
    const bad = await rt.api('PUT', '/api/locations/WH1/bins/C-01', { body: { ...body, type: 'shelf' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const associate = await rt.api('PUT', '/api/locations/WH1/bins/C-01', {
      body,
      role: 'warehouse-associate',
    });
    expect(associate.status).toBe(403);
    expect((await rt.api('GET', '/api/locations/WH1/bins', { role: 'finance' })).status).toBe(403);
  });
});

describe('receipts, adjustments and bin moves', () => {
  it('receives into the named bin, and into RECEIVING when none is named', async () => {
    expect((await receive('BIN-A', 5, 'bins-rcv-a-1', 'A-01')).status).toBe(201);
    expect((await receive('BIN-A', 3, 'bins-rcv-a-2')).status).toBe(201);
    // A repeat moves nothing twice.
    expect((await receive('BIN-A', 5, 'bins-rcv-a-1', 'A-01')).status).toBe(200);

    expect(await position('BIN-A')).toMatchObject({
      onHand: 8,
      bins: [
        { binId: 'RECEIVING', quantity: 3 },
        { binId: 'A-01', quantity: 5 },
      ],
    });
    const receipts = (await ledger('BIN-A')).filter((m) => m.kind === 'receive');
    expect(receipts.map((m) => m.binId)).toEqual(['A-01', 'RECEIVING']);
    const unknown = await receive('BIN-A', 1, 'bins-rcv-a-3', 'Z-99');
    expect(unknown.status).toBe(404);
  });

  it('moves units between bins as one ledger movement; a repeat answers the first outcome', async () => {
    const body = {
      sku: 'BIN-A',
      fromBinId: 'A-01',
      toBinId: 'B-01',
      quantity: 2,
      idempotencyKey: 'bins-move-1',
    };
    const before = await position('BIN-A');
    const first = await binMove(body);
    const again = await binMove(body);

    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.movement.movementId).toBe(first.body.movement.movementId);
    // No bucket changes, so the position item is not written at all.
    expect(await position('BIN-A')).toMatchObject({
      updatedAt: before.updatedAt,
      onHand: 8,
      available: 8,
      bins: [
        { binId: 'RECEIVING', quantity: 3 },
        { binId: 'A-01', quantity: 3 },
        { binId: 'B-01', quantity: 2 },
      ],
    });
    const moves = (await ledger('BIN-A')).filter((m) => m.kind === 'bin-move');
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({
      fromBinId: 'A-01',
      toBinId: 'B-01',
      quantity: 2,
      deltas: {},
      actor: expect.any(String),
    });
    expect((await binMove({ ...body, quantity: 3 })).body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses to take a bin below zero (409 BIN_SHORT) and writes nothing', async () => {
    const before = await position('BIN-A');

    const move = await binMove({
      sku: 'BIN-A',
      fromBinId: 'A-01',
      toBinId: 'B-01',
      quantity: 4,
      idempotencyKey: 'bins-move-short',
    });
    const adjustment = await adjust('BIN-A', -4, 'bins-adj-short', 'A-01');

    expect(move.status).toBe(409);
    expect(move.body.error).toMatchObject({
      code: 'BIN_SHORT',
      details: { sku: 'BIN-A', locationId: 'WH1', binId: 'A-01', requested: 4, available: 3 },
    });
    expect(adjustment.status).toBe(409);
    expect(adjustment.body.error.code).toBe('BIN_SHORT');
    expect(await position('BIN-A')).toEqual(before);
    const keys = (await ledger('BIN-A')).map((m) => m.idempotencyKey);
    expect(keys).not.toContain('bins-move-short');
    expect(keys).not.toContain('bins-adj-short');
  });

  it('takes a negative adjustment out of the named bin', async () => {
    const res = await adjust('BIN-A', -2, 'bins-adj-b01', 'B-01');

    expect(res.status).toBe(201);
    expect(res.body.movement).toMatchObject({ binId: 'B-01', deltas: { onHand: -2 } });
    expect(await position('BIN-A')).toMatchObject({
      onHand: 6,
      bins: [
        { binId: 'RECEIVING', quantity: 3 },
        { binId: 'A-01', quantity: 3 },
      ],
    });
  });

  it('lists what each bin holds', async () => {
    const res = await rt.api('GET', '/api/locations/WH1/bins', { role: 'customer-service' });
    const contents = Object.fromEntries(
      res.body.items.map((b: { binId: string; contents: unknown[] }) => [b.binId, b.contents]),
    );

    expect(contents).toEqual({
      RECEIVING: [{ sku: 'BIN-A', quantity: 3 }],
      STAGING: [],
      'A-01': [{ sku: 'BIN-A', quantity: 3 }],
      'B-01': [],
    });
    expect((await binsAt('WH1')).map((b) => b.binId)).toEqual(['RECEIVING', 'STAGING', 'A-01', 'B-01']);
    expect(await binStockOf('BIN-A', 'WH1')).toEqual([
      { binId: 'RECEIVING', zone: '', walkOrder: 0, type: 'receiving', quantity: 3 },
      { binId: 'A-01', zone: 'A', walkOrder: 10, type: 'pick', barcode: 'LBL-A01', quantity: 3 },
    ]);
  });
});

describe('reservations and bins (what fulfillment calls)', () => {
  const reserve = async (reservationId: string, sku: string, quantity: number) => {
    const res = await rt.api('POST', '/api/reservations', {
      body: { reservationId, lines: [{ sku, locationId: 'WH1', quantity }] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };

  it('leaves bins alone when reserving; a short pick shrinks the hold and writes off the bin', async () => {
    await receive('BIN-C', 6, 'bins-rcv-c', 'A-01');
    await reserve('bins-res-c', 'BIN-C', 4);
    expect(await position('BIN-C')).toMatchObject({
      onHand: 6,
      reserved: 4,
      bins: [{ binId: 'A-01', quantity: 6 }],
    });
    // Two units picked to STAGING, the other two were not in A-01.
    await moveBetweenBins(
      {
        sku: 'BIN-C',
        locationId: 'WH1',
        fromBinId: 'A-01',
        toBinId: 'STAGING',
        quantity: 2,
        idempotencyKey: 'task-1:0',
        reason: 'pick',
      },
      ctx,
    );

    const cmd = {
      reservationId: 'bins-res-c',
      sku: 'BIN-C',
      locationId: 'WH1',
      binId: 'A-01',
      quantity: 2,
      idempotencyKey: 'task-1:short',
      reason: 'not in bin',
    };
    const shorted = await shortPickReservation(cmd, ctx);
    const repeat = await shortPickReservation(cmd, ctx);

    expect(shorted.applied).toBe(true);
    expect(repeat.applied).toBe(false);
    expect(shorted.reservation.status).toBe('open');
    expect((await reservationOf('bins-res-c'))?.allocations).toEqual([
      expect.objectContaining({ sku: 'BIN-C', locationId: 'WH1', quantity: 2 }),
    ]);
    expect(await position('BIN-C')).toMatchObject({
      onHand: 4,
      reserved: 2,
      available: 2,
      bins: [
        { binId: 'STAGING', quantity: 2 },
        { binId: 'A-01', quantity: 2 },
      ],
    });
    const shorts = (await ledger('BIN-C')).filter((m) => m.kind === 'short-pick');
    expect(shorts).toHaveLength(1);
    expect(shorts[0]).toMatchObject({
      reason: 'short_pick',
      binId: 'A-01',
      deltas: { onHand: -2, reserved: -2 },
    });
  });

  it('writes off only what the bin has; the rest only shrinks the reservation', async () => {
    await receive('BIN-D', 1, 'bins-rcv-d-a', 'A-01');
    await receive('BIN-D', 2, 'bins-rcv-d-b', 'B-01');
    await reserve('bins-res-d', 'BIN-D', 3);

    await shortPickReservation(
      {
        reservationId: 'bins-res-d',
        sku: 'BIN-D',
        locationId: 'WH1',
        binId: 'A-01',
        quantity: 2,
        idempotencyKey: 'task-2:short',
        reason: 'empty',
      },
      ctx,
    );

    expect(await position('BIN-D')).toMatchObject({
      onHand: 2,
      reserved: 1,
      available: 1,
      bins: [{ binId: 'B-01', quantity: 2 }],
    });
    expect((await reservationOf('bins-res-d'))?.allocations.map((a) => a.quantity)).toEqual([1]);
    const refused = shortPickReservation(
      {
        reservationId: 'bins-res-d',
        sku: 'BIN-D',
        locationId: 'WH1',
        binId: 'B-01',
        quantity: 2,
        idempotencyKey: 'task-2:short-2',
        reason: 'x',
      },
      ctx,
    );
    await expect(refused).rejects.toMatchObject({ status: 409, code: 'SHORT_PICK_REFUSED' });
  });

  it('consumes a reservation out of the bins named, once; wrong picks change nothing', async () => {
    const picks = (binId: string, quantity: number) => [{ sku: 'BIN-C', locationId: 'WH1', binId, quantity }];
    await expect(
      consumeReservationFromBins({ reservationId: 'bins-res-c', picks: picks('STAGING', 3) }, ctx),
    ).rejects.toMatchObject({
      code: 'PICKS_MISMATCH',
    });
    await expect(
      consumeReservationFromBins({ reservationId: 'bins-res-c', picks: picks('B-01', 2) }, ctx),
    ).rejects.toMatchObject({
      code: 'BIN_SHORT',
    });
    expect(await position('BIN-C')).toMatchObject({ onHand: 4, reserved: 2 });

    const shipped = await consumeReservationFromBins(
      { reservationId: 'bins-res-c', picks: picks('STAGING', 2) },
      ctx,
    );
    const again = await consumeReservationFromBins(
      { reservationId: 'bins-res-c', picks: picks('STAGING', 2) },
      ctx,
    );

    expect(shipped).toMatchObject({ applied: true, reservation: { status: 'consumed' } });
    expect(again).toMatchObject({ applied: false, reservation: { status: 'consumed' } });
    expect(await position('BIN-C')).toMatchObject({
      onHand: 2,
      reserved: 0,
      bins: [{ binId: 'A-01', quantity: 2 }],
    });
  });

  it('consumes through the route that names no bins, out of the bins that hold the units', async () => {
    const res = await rt.api('POST', '/api/reservations/bins-res-d/consume', { role: 'warehouse-associate' });

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await position('BIN-D')).toMatchObject({
      onHand: 1,
      reserved: 0,
      bins: [{ binId: 'B-01', quantity: 1 }],
    });
  });
});

describe('the invariant checker and the upgrade of stock from before bins', () => {
  const check = async (sku?: string) => {
    await rt.settle();
    const table = rt.config.tableName;
    return checkInvariants(
      {
        scanner: dynamoScanner({ db, table }),
        ledger: dynamoInventory({ db, table }).ledger,
        clock: () => new Date(),
      },
      { lagAllowanceMs: 0, ...(sku ? { sku } : {}) },
    );
  };

  it('finds every bin adding up to onHand after all of the above, and notices a bin that does not', async () => {
    expect((await check()).mismatches).toEqual([]);

    await db.send(
      new UpdateCommand({
        TableName: rt.config.tableName,
        Key: inventoryKeys.binStock('BIN-A', 'WH1', 'A-01'),
        UpdateExpression: 'SET quantity = quantity + :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    const report = await check();

    expect(report.mismatches).toEqual([
      expect.objectContaining({
        sku: 'BIN-A',
        locationId: 'WH1',
        invariant: 5,
        problem: 'the bins do not add up to onHand',
        evidence: { onHand: 6, inBins: 7, bins: { RECEIVING: 3, 'A-01': 4 } },
      }),
    ]);
  });

  it('puts the onHand of a position without bin items into RECEIVING, once', async () => {
    const table = rt.config.tableName;
    for (const [shard, onHand] of [
      [0, 7],
      [1, 2],
    ] as const) {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...inventoryKeys.position('BIN-LEGACY', 'WH1', shard),
            entity: 'StockPosition',
            sku: 'BIN-LEGACY',
            locationId: 'WH1',
            shard,
            onHand,
            reserved: 0,
            available: onHand,
            version: 0,
            updatedAt: new Date().toISOString(),
            done: {},
          },
        }),
      );
    }
    await db.send(
      new DeleteCommand({ TableName: table, Key: { pk: 'UPGRADE#position-bins', sk: 'UPGRADE' } }),
    );

    expect(await upgradeBins(db, table)).toBe(1);
    expect(await upgradeBins(db, table)).toBe(0);
    expect(await binStockOf('BIN-LEGACY', 'WH1')).toEqual([
      { binId: 'RECEIVING', zone: '', walkOrder: 0, type: 'receiving', quantity: 9 },
    ]);
    // Positions already in bins were left alone.
    expect(await binStockOf('BIN-C', 'WH1')).toEqual([
      expect.objectContaining({ binId: 'A-01', quantity: 2 }),
    ]);
  });
});
