import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoScanner } from '../../functions/inventory/adapters/dynamo-scanner.ts';
import { checkInvariants } from '../../functions/inventory/core/check-invariants.ts';
import { closeReservation } from '../../functions/inventory/core/close-reservation.ts';
import { reserveStock } from '../../functions/inventory/core/reserve-stock.ts';
import { adjustStock, moveStock, receiveStock } from '../../functions/inventory/core/stock-commands.ts';
import { readSkuStock } from '../../functions/inventory/core/stock-view.ts';
import { inventoryKeys } from '../../functions/inventory/keys.ts';
import { upgradeLocalData } from '../../local/upgrade-data.ts';
import { type InventoryHarness, startInventoryHarness } from '../support/faults.ts';

let h: InventoryHarness;
const ctx = { actor: 'tester', correlationId: 'corr-1' };

beforeAll(async () => {
  h = await startInventoryHarness();
  await h.putLocation('WH1');
  await h.putLocation('WH2');
  for (const sku of ['A', 'B', 'C']) await h.putSku(sku);
  await h.putSku('KIT-AB', {
    kit: {
      components: [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 2 },
      ],
    },
  });
});
afterAll(() => h?.stop());

const stockAt = async (sku: string, loc: string) =>
  (await readSkuStock(h.ports.positions, sku)).locations.find((l) => l.locationId === loc)?.buckets;

async function invariantsHold() {
  await h.settle();
  const report = await checkInvariants(
    { scanner: dynamoScanner({ db: h.db, table: h.table }), ledger: h.ports.ledger, clock: () => new Date() },
    { lagAllowanceMs: 0 },
  );
  expect(report.mismatches).toEqual([]);
  return report;
}

describe('inventory core on DynamoDB Local', () => {
  it('adjusts, reserves, releases and keeps the ledger equal to the position', async () => {
    await adjustStock(
      h.ports,
      { sku: 'A', locationId: 'WH1', delta: 20, reason: 'opening', idempotencyKey: 'open-a-wh1' },
      ctx,
    );
    const r = await reserveStock(
      h.ports,
      { reservationId: 'r-1', lines: [{ sku: 'A', locationId: 'WH1', quantity: 5 }] },
      ctx,
    );
    expect(r.replayed).toBe(false);
    const again = await reserveStock(
      h.ports,
      { reservationId: 'r-1', lines: [{ sku: 'A', locationId: 'WH1', quantity: 5 }] },
      ctx,
    );
    expect(again.replayed).toBe(true);
    expect(await stockAt('A', 'WH1')).toMatchObject({ onHand: 20, reserved: 5, available: 15 });
    await h.settle();
    await closeReservation(h.ports, 'r-1', 'release', ctx);
    expect(await stockAt('A', 'WH1')).toMatchObject({ onHand: 20, reserved: 0, available: 20 });
    await invariantsHold();
  });

  it('reserves a kit atomically and consumes it', async () => {
    await adjustStock(
      h.ports,
      { sku: 'B', locationId: 'WH1', delta: 10, reason: 'opening', idempotencyKey: 'open-b-wh1' },
      ctx,
    );
    const r = await reserveStock(
      h.ports,
      { reservationId: 'k-1', lines: [{ sku: 'KIT-AB', locationId: 'WH1', quantity: 3 }] },
      ctx,
    );
    expect(r.reservation.allocations.map((a) => [a.sku, a.quantity])).toEqual([
      ['A', 3],
      ['B', 6],
    ]);
    await closeReservation(h.ports, 'k-1', 'consume', ctx);
    expect(await stockAt('B', 'WH1')).toMatchObject({ onHand: 4, reserved: 0 });
    await invariantsHold();
  });

  it('answers a retry of a released reservation without holding its units again once the stream caught up', async () => {
    await adjustStock(
      h.ports,
      { sku: 'C', locationId: 'WH1', delta: 5, reason: 'opening', idempotencyKey: 'open-c-wh1' },
      ctx,
    );
    const line = { sku: 'C', locationId: 'WH1', quantity: 2 };
    await reserveStock(h.ports, { reservationId: 'late-1', lines: [line] }, ctx);
    await h.settle();
    await closeReservation(h.ports, 'late-1', 'release', ctx);
    await h.settle();

    await reserveStock(h.ports, { reservationId: 'late-1', lines: [line] }, ctx);
    await h.settle();

    expect(await stockAt('C', 'WH1')).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    await invariantsHold();
  });

  it('moves and receives into buckets', async () => {
    await moveStock(
      h.ports,
      {
        sku: 'A',
        locationId: 'WH1',
        from: 'available',
        to: 'quarantined',
        quantity: 2,
        reason: 'qa',
        idempotencyKey: 'qa-a-1xx',
      },
      ctx,
    );
    await receiveStock(
      h.ports,
      {
        sku: 'C',
        locationId: 'WH2',
        quantity: 4,
        bucket: 'returnedPending',
        reason: 'rma',
        idempotencyKey: 'rma-c-1xx',
      },
      ctx,
    );
    expect(await stockAt('A', 'WH1')).toMatchObject({ quarantined: 2, available: 15 });
    expect(await stockAt('C', 'WH2')).toMatchObject({ onHand: 4, returnedPending: 4, available: 0 });
    // A channel's recompute finds every SKU first stocked at its locations.
    expect((await h.ports.positions.skusAt('WH2')).sort()).toEqual(['C']);
    expect(await h.ports.positions.skusAt('WH1')).toContain('A');
    await invariantsHold();
  });

  it('upgrades position items that carried open holds (either earlier encoding) once, and their reservations close as before', async () => {
    await h.putSku('UPG');
    for (const loc of ['WH1', 'WH2']) {
      await adjustStock(
        h.ports,
        { sku: 'UPG', locationId: loc, delta: 10, reason: 'opening', idempotencyKey: `open-upg-${loc}` },
        ctx,
      );
    }
    for (const [id, loc, quantity] of [
      ['u-1', 'WH2', 1],
      ['u-3', 'WH2', 3],
      ['u-2', 'WH1', 2],
    ] as const) {
      await reserveStock(
        h.ports,
        { reservationId: id, lines: [{ sku: 'UPG', locationId: loc, quantity }] },
        ctx,
      );
    }
    await h.settle();
    const wh2 = inventoryKeys.position('UPG', 'WH2');
    const wh1 = inventoryKeys.position('UPG', 'WH1');
    // The items as earlier versions wrote them: a set of ids plus quantities, and one map.
    await h.db.send(
      new UpdateCommand({
        TableName: h.table,
        Key: wh2,
        UpdateExpression: 'SET holdIds = :ids, holdQuantities = :several',
        ExpressionAttributeValues: { ':ids': new Set(['u-1', 'u-3']), ':several': { 'u-3': 3 } },
      }),
    );
    await h.db.send(
      new UpdateCommand({
        TableName: h.table,
        Key: wh1,
        UpdateExpression: 'SET holds = :holds',
        ExpressionAttributeValues: { ':holds': { 'u-2': 2 } },
      }),
    );
    // A hold whose record went missing while its reserve movement is in the ledger gets it back.
    await h.db.send(new DeleteCommand({ TableName: h.table, Key: inventoryKeys.reservation('u-1') }));
    const versions = await Promise.all(
      [wh1, wh2].map(
        async (Key) => (await h.db.send(new GetCommand({ TableName: h.table, Key }))).Item?.version,
      ),
    );

    expect(await upgradeLocalData(h.db, h.table)).toBeGreaterThanOrEqual(2);

    for (const [i, Key] of [wh1, wh2].entries()) {
      const item = (await h.db.send(new GetCommand({ TableName: h.table, Key }))).Item ?? {};
      for (const legacy of ['holds', 'holdIds', 'holdQuantities']) expect(item).not.toHaveProperty(legacy);
      // Not a change of the position: no new version, no ledger movement.
      expect(item.version).toBe(versions[i]);
    }
    expect(await h.ports.reservations.get('u-1')).toMatchObject({
      status: 'open',
      allocations: [expect.objectContaining({ sku: 'UPG', locationId: 'WH2', quantity: 1 })],
    });
    expect(await upgradeLocalData(h.db, h.table)).toBe(0);
    await invariantsHold();

    await closeReservation(h.ports, 'u-3', 'release', ctx);
    await closeReservation(h.ports, 'u-1', 'consume', ctx);
    await closeReservation(h.ports, 'u-2', 'release', ctx);
    expect(await stockAt('UPG', 'WH2')).toMatchObject({ onHand: 9, reserved: 0, available: 9 });
    expect(await stockAt('UPG', 'WH1')).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    await invariantsHold();
  });
});
