import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryKeys } from '../../functions/inventory/keys.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** The inventory routes, rules, schedules and stream consumer through the local runtime. */
let rt: TestRuntime;
let db: DynamoDBDocumentClient;

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
  for (const id of ['WH1', 'WH2']) {
    await rt.api('PUT', `/api/locations/${id}`, { body: { name: id, type: 'warehouse' } });
  }
  for (const sku of ['MUG', 'LID', 'TEA', 'TEA-ALT', 'CAP']) {
    await rt.api('PUT', `/api/skus/${sku}`, { body: { name: sku } });
  }
  await rt.api('PUT', '/api/skus/TEA', { body: { name: 'Tea', substitutes: ['TEA-ALT'] } });
  await rt.api('PUT', '/api/skus/MUG-SET', {
    body: {
      name: 'Mug set',
      kit: {
        components: [
          { sku: 'MUG', quantity: 2 },
          { sku: 'LID', quantity: 1 },
        ],
      },
    },
  });
  const stock: [string, string, number][] = [
    ['MUG', 'WH1', 10],
    ['LID', 'WH1', 4],
    ['TEA', 'WH1', 1],
    ['TEA-ALT', 'WH1', 5],
    ['CAP', 'WH1', 8],
    ['CAP', 'WH2', 3],
  ];
  for (const [sku, locationId, delta] of stock) {
    await adjust(sku, locationId, delta, `opening-${sku}-${locationId}`);
  }
  await rt.settle();
});
afterAll(async () => {
  db?.destroy();
  await rt?.stop();
});

function adjust(sku: string, locationId: string, delta: number, idempotencyKey: string) {
  return rt.api('POST', '/api/inventory/adjustments', {
    body: { sku, locationId, delta, reason: 'opening balance', idempotencyKey },
  });
}

async function position(sku: string, locationId = 'WH1') {
  const res = await rt.api('GET', `/api/inventory/${sku}`);
  return res.body.positions.find((p: { locationId: string }) => p.locationId === locationId);
}

/** Channels are configured through their API, as an operator does; inventory learns of them from ChannelUpserted. */
async function putChannel(channelId: string, locationIds: string[], exposure?: Record<string, number>) {
  const res = await rt.api('PUT', `/api/channels/${channelId}`, {
    body: {
      type: 'generic',
      secret: `${channelId}-signing-secret`,
      locationIds,
      ...(exposure ? { exposure } : {}),
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}

describe('POST /api/reservations', () => {
  it('reserves a line and answers the same reservation when the id is sent again', async () => {
    const body = { reservationId: 'api-r-1', lines: [{ sku: 'CAP', locationId: 'WH1', quantity: 2 }] };

    const first = await rt.api('POST', '/api/reservations', { body, role: 'customer-service' });
    await rt.settle();
    const again = await rt.api('POST', '/api/reservations', { body, role: 'customer-service' });

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ reservationId: 'api-r-1', status: 'open' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await position('CAP')).toMatchObject({ onHand: 8, reserved: 2, available: 6 });
  });

  it('answers 409 INSUFFICIENT_STOCK and reserves nothing when one line is short', async () => {
    const res = await rt.api('POST', '/api/reservations', {
      body: {
        reservationId: 'api-r-short',
        lines: [
          { sku: 'MUG', locationId: 'WH1', quantity: 1 },
          { sku: 'LID', locationId: 'WH1', quantity: 50 },
        ],
      },
    });

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INSUFFICIENT_STOCK');
    expect(res.body.error.details.shortages).toEqual([
      { sku: 'LID', locationId: 'WH1', requested: 50, available: 4 },
    ]);
    expect(await position('MUG')).toMatchObject({ reserved: 0, available: 10 });
  });

  it.each([
    ['reservationId', { reservationId: '', lines: [{ sku: 'MUG', quantity: 1 }] }],
    ['lines', { reservationId: 'bad-1', lines: [] }],
    ['lines.0.quantity', { reservationId: 'bad-2', lines: [{ sku: 'MUG', quantity: 0 }] }],
    ['lines.0.sku', { reservationId: 'bad-3', lines: [{ quantity: 1 }] }],
    ['expiresAt', { reservationId: 'bad-4', lines: [{ sku: 'MUG', quantity: 1 }], expiresAt: 'tomorrow' }],
  ])('rejects a request with a bad %s and names the field', async (field, body) => {
    const res = await rt.api('POST', '/api/reservations', { body });

    expect(res.status).toBe(400);
    expect(res.body.error.details.issues.map((i: { field: string }) => i.field)).toContain(field);
  });

  it('reserves a kit by reserving its components in one transaction', async () => {
    const res = await rt.api('POST', '/api/reservations', {
      body: { reservationId: 'api-kit-1', lines: [{ sku: 'MUG-SET', locationId: 'WH1', quantity: 2 }] },
    });

    expect(res.status).toBe(201);
    expect(
      res.body.allocations.map((a: { sku: string; quantity: number; kitSku: string }) => [
        a.sku,
        a.quantity,
        a.kitSku,
      ]),
    ).toEqual([
      ['MUG', 4, 'MUG-SET'],
      ['LID', 2, 'MUG-SET'],
    ]);
    const kit = await rt.api('GET', '/api/inventory/MUG-SET');
    expect(kit.body.kit).toMatchObject({ available: 2 }); // min(6 ÷ 2, 2 ÷ 1)
  });

  it('uses a listed substitute when the line allows it and the SKU is short', async () => {
    const res = await rt.api('POST', '/api/reservations', {
      body: {
        reservationId: 'api-sub-1',
        lines: [{ sku: 'TEA', locationId: 'WH1', quantity: 3, allowSubstitutes: true }],
      },
    });

    expect(res.status).toBe(201);
    expect(res.body.allocations).toEqual([
      expect.objectContaining({ sku: 'TEA-ALT', quantity: 3, substituteFor: 'TEA' }),
    ]);
  });

  it('picks a location that can cover a line that names none', async () => {
    const res = await rt.api('POST', '/api/reservations', {
      body: { reservationId: 'api-anywhere-1', lines: [{ sku: 'CAP', quantity: 3 }] },
    });

    expect(res.status).toBe(201);
    expect(res.body.allocations[0]).toMatchObject({ sku: 'CAP', locationId: 'WH1', quantity: 3 });
  });
});

describe('closing reservations', () => {
  it('releases a reservation with DELETE, gives the units back, and answers the same when repeated', async () => {
    await rt.api('POST', '/api/reservations', {
      body: { reservationId: 'api-rel-1', lines: [{ sku: 'MUG', locationId: 'WH1', quantity: 1 }] },
    });
    const before = await position('MUG');

    const first = await rt.api('DELETE', '/api/reservations/api-rel-1');
    const again = await rt.api('DELETE', '/api/reservations/api-rel-1');

    expect(first.status).toBe(200);
    expect(first.body.status).toBe('released');
    expect(again.body).toEqual(first.body);
    expect((await position('MUG')).reserved).toBe(before.reserved - 1);
    expect((await rt.api('GET', '/api/reservations/api-rel-1')).body.status).toBe('released');
  });

  it('consumes a reservation on shipment so its units leave onHand, and refuses to release it afterwards', async () => {
    await rt.api('POST', '/api/reservations', {
      body: { reservationId: 'api-ship-1', lines: [{ sku: 'CAP', locationId: 'WH2', quantity: 1 }] },
    });

    const shipped = await rt.api('POST', '/api/reservations/api-ship-1/consume', {
      role: 'warehouse-associate',
    });
    const release = await rt.api('DELETE', '/api/reservations/api-ship-1');

    expect(shipped.body.status).toBe('consumed');
    expect(await position('CAP', 'WH2')).toMatchObject({ onHand: 2, reserved: 0 });
    expect(release.status).toBe(409);
    expect(release.body.error.code).toBe('RESERVATION_CLOSED');
  });

  it('answers 404 for a reservation that does not exist', async () => {
    const res = await rt.api('DELETE', '/api/reservations/never-made');
    expect(res.status).toBe(404);
  });

  it('expires a hold past its expiresAt when the sweeper runs', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    await rt.api('POST', '/api/reservations', {
      body: {
        reservationId: 'api-cart-1',
        lines: [{ sku: 'MUG', locationId: 'WH1', quantity: 2 }],
        expiresAt,
      },
    });
    await rt.settle();
    const held = await position('MUG');
    await new Promise((r) => setTimeout(r, 1600));

    await rt.lambdas.invoke('sweepReservations', { scheduledAt: new Date().toISOString() });
    await rt.settle();

    expect((await rt.api('GET', '/api/reservations/api-cart-1')).body.status).toBe('expired');
    expect((await position('MUG')).reserved).toBe(held.reserved - 2);
    expect(rt.bus.events({ detailType: 'ReservationExpired' }).length).toBeGreaterThan(0);
  });
});

describe('status moves, receipts and the ledger', () => {
  it('moves units between buckets and refuses a move the source cannot cover', async () => {
    const move = (quantity: number, key: string) =>
      rt.api('POST', '/api/inventory/moves', {
        role: 'warehouse-associate',
        body: {
          sku: 'CAP',
          locationId: 'WH1',
          from: 'available',
          to: 'quarantined',
          quantity,
          reason: 'QA hold',
          idempotencyKey: key,
        },
      });

    const ok = await move(2, 'qa-hold-cap-1');
    const tooMuch = await move(100, 'qa-hold-cap-2');

    expect(ok.status).toBe(201);
    expect(ok.body.movement).toMatchObject({ kind: 'move', deltas: { quarantined: 2 } });
    expect(tooMuch.status).toBe(409);
    expect(await position('CAP')).toMatchObject({ quarantined: 2 });
  });

  it('receives returned units into returnedPending', async () => {
    const res = await rt.api('POST', '/api/inventory/receipts', {
      role: 'warehouse-associate',
      body: {
        sku: 'LID',
        locationId: 'WH1',
        quantity: 2,
        bucket: 'returnedPending',
        reason: 'RMA-7',
        idempotencyKey: 'rma-7-lid',
      },
    });

    expect(res.status).toBe(201);
    expect(await position('LID')).toMatchObject({ onHand: 6, returnedPending: 2 });
  });

  it('pages through a SKU ledger whose movements sum to the position', async () => {
    await rt.settle();
    const seen: { movementId: string; deltas: { onHand?: number }; locationId: string }[] = [];
    let cursor: string | undefined;
    do {
      const res = await rt.api(
        'GET',
        `/api/inventory/CAP/ledger?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        {
          role: 'finance',
        },
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items);
      cursor = res.body.cursor;
    } while (cursor);

    expect(new Set(seen.map((m) => m.movementId)).size).toBe(seen.length);
    const onHandWh1 = seen
      .filter((m) => m.locationId === 'WH1')
      .reduce((s, m) => s + (m.deltas.onHand ?? 0), 0);
    expect(onHandWh1).toBe((await position('CAP')).onHand);
  });
});

describe('channel availability', () => {
  it('announces ChannelAvailabilityChanged when a stock change moves a channel’s number, and shows it on GET', async () => {
    await putChannel('web', ['WH1', 'WH2'], { percent: 50 });
    await putChannel('marketplace', ['WH2'], { buffer: 1 });
    await rt.settle();
    const heard = rt.bus.events({ detailType: 'ChannelAvailabilityChanged' }).length;

    await adjust('CAP', 'WH2', 4, 'cap-wh2-more');
    await rt.settle();

    const changed = rt.bus
      .events({ detailType: 'ChannelAvailabilityChanged' })
      .slice(heard)
      .map((e) => (e.detail as { data: Record<string, unknown> }).data);
    const cap = await rt.api('GET', '/api/inventory/CAP');
    const wh2 = await position('CAP', 'WH2');
    const wh1 = await position('CAP', 'WH1');
    expect(cap.body.channels).toEqual([
      { channelId: 'marketplace', available: wh2.available - 1 },
      { channelId: 'web', available: Math.floor((wh1.available + wh2.available) / 2) },
    ]);
    expect(changed).toContainEqual(
      expect.objectContaining({
        channel: 'marketplace',
        sku: 'CAP',
        available: wh2.available - 1,
        previous: wh2.available - 5,
      }),
    );
  });
});

describe('sharding, checks and repairs', () => {
  it('splits a SKU into shards and still shows one summed position per location', async () => {
    const res = await rt.api('PUT', '/api/inventory/MUG/sharding', { body: { shards: 4 } });
    const mug = await position('MUG');

    expect(res.status).toBe(200);
    expect(mug.shards).toBe(4);
    expect(mug.onHand).toBe(10);
  });

  it('finds no mismatch on a healthy table, detects a lost ledger movement, and a repair makes the ledger whole', async () => {
    await rt.settle();
    const healthy = await rt.api('POST', '/api/inventory/checks', { body: {} });
    expect(healthy.body.mismatches).toEqual([]);

    // Lose the opening movement of TEA-ALT at WH1 (as if the stream had dropped it).
    await db.send(
      new DeleteCommand({
        TableName: rt.config.tableName,
        Key: inventoryKeys.movement(
          inventoryKeys.movementId({ sku: 'TEA-ALT', locationId: 'WH1', shard: 0, version: 1 }),
        ),
      }),
    );
    const broken = await rt.api('POST', '/api/inventory/checks', { body: { sku: 'TEA-ALT' } });
    await rt.settle();
    const repaired = await rt.api('POST', '/api/inventory/repairs', {
      body: {
        sku: 'TEA-ALT',
        locationId: 'WH1',
        reason: 'stream record lost; opening balance re-entered',
        idempotencyKey: 'repair-tea-alt-1',
      },
    });
    const after = await rt.api('POST', '/api/inventory/checks', { body: { sku: 'TEA-ALT' } });

    expect(broken.body.mismatches.map((m: { invariant: number }) => m.invariant).sort()).toEqual([2, 4]);
    expect(
      rt.bus
        .events({ detailType: 'InventoryMismatchDetected' })
        .map((e) => (e.detail as { data: { sku: string } }).data.sku),
    ).toContain('TEA-ALT');
    expect(repaired.body.repairs).toEqual([
      expect.objectContaining({ kind: 'repair', deltas: { onHand: 5 }, covers: [1], actor: 'local-admin' }),
    ]);
    expect(after.body.mismatches).toEqual([]);
  });
});

describe('workflow task', () => {
  it('answers a shortage as data so the workflow can route to backorder', async () => {
    const reserved = await rt.lambdas.invoke('reservationTask', {
      action: 'reserve',
      reservationId: 'wf-1',
      lines: [{ sku: 'CAP', locationId: 'WH1', quantity: 1 }],
    });
    const short = await rt.lambdas.invoke('reservationTask', {
      action: 'reserve',
      reservationId: 'wf-2',
      lines: [{ sku: 'CAP', locationId: 'WH1', quantity: 999 }],
    });

    expect(reserved).toMatchObject({ status: 'reserved', reservation: { reservationId: 'wf-1' } });
    expect(short).toMatchObject({
      status: 'insufficient',
      shortages: [expect.objectContaining({ sku: 'CAP', requested: 999 })],
    });
  });
});
