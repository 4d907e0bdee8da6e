import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { financeOnlyRules, orderReceived, putEvent, receive, shipmentConfirmed } from '../support/finance.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Finance through the local runtime: a receipt at PO cost, two landed costs with a partial
 * shipment between them, a write-off, period close and a late event, the trial balance.
 */
let rt: TestRuntime;
const month = new Date().toISOString().slice(0, 7);
const [y, m] = month.split('-').map(Number) as [number, number];
const lastMonth = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;

beforeAll(async () => {
  rt = await startTestRuntime({ manifest: financeOnlyRules });
  await rt.api('PUT', '/api/locations/WH1', { body: { name: 'WH1', type: 'warehouse' } });
  for (const sku of ['FA', 'FB']) await rt.api('PUT', `/api/skus/${sku}`, { body: { name: sku } });
  await rt.api('PUT', '/api/suppliers/ACME', { body: { name: 'Acme', leadTimeDays: 7, currency: 'USD' } });
}, 120_000);
afterAll(() => rt?.stop());

const costOf = async (sku: string) => {
  const res = await rt.api('GET', `/api/finance/costs/${sku}`, { role: 'finance' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items.find((i: { locationId: string }) => i.locationId === 'WH1');
};
const landedCost = (body: unknown) => rt.api('POST', '/api/finance/landed-costs', { role: 'finance', body });
const balance = async (period: string) => {
  const res = await rt.api('GET', `/api/finance/trial-balance?period=${period}`, { role: 'finance' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const accountBalance = (tb: { accounts: { account: string; balance: string }[] }, account: string) =>
  tb.accounts.find((a) => a.account === account)?.balance;

describe('chart of accounts', () => {
  it('answers the defaults, takes new codes for some roles, refuses a code used twice', async () => {
    const read = await rt.api('GET', '/api/finance/accounts', { role: 'finance' });
    expect(read.body.accounts).toContainEqual({ role: 'inventory', code: '1300', name: 'Inventory' });
    const put = await rt.api('PUT', '/api/finance/accounts', {
      role: 'finance',
      body: { accounts: [{ role: 'cogs', code: '5010', name: 'COGS — goods' }] },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.accounts).toContainEqual({ role: 'cogs', code: '5010', name: 'COGS — goods' });
    const dup = await rt.api('PUT', '/api/finance/accounts', {
      role: 'finance',
      body: { accounts: [{ role: 'revenue', code: '1300' }] },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('DUPLICATE_ACCOUNT_CODE');
    const floor = await rt.api('PUT', '/api/finance/accounts', { role: 'warehouse-associate', body: {} });
    expect(floor.status).toBe(403);
  });
});

describe('moving-average cost and landed costs', () => {
  it('stays right through two landed costs on one receipt with a partial shipment between them', async () => {
    const receipt = await receive(rt, 'F1', 'WH1', [
      { sku: 'FA', quantity: 10, unitCost: '10.00' },
      { sku: 'FB', quantity: 10, unitCost: '5.00' },
    ]);
    expect(await costOf('FA')).toMatchObject({ quantity: 10, value: '100.00', unitCost: '10.00' });

    // By value: 30.00 over 100.00 and 50.00 → 20.00 and 10.00; every unit still on hand.
    const first = await landedCost({
      landedCostId: 'LC-1',
      receiptRef: receipt,
      method: 'value',
      amounts: [{ kind: 'freight', amount: '30.00', currency: 'USD' }],
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.allocations).toEqual([
      { sku: 'FA', locationId: 'WH1', amount: '20.00', toInventory: '20.00', toCogs: '0.00' },
      { sku: 'FB', locationId: 'WH1', amount: '10.00', toInventory: '10.00', toCogs: '0.00' },
    ]);
    expect(await costOf('FA')).toMatchObject({ quantity: 10, value: '120.00', unitCost: '12.00' });

    await putEvent(rt, orderReceived('O-1', [{ lineId: '1', sku: 'FA', quantity: 4, unitPrice: 2500 }]));
    const shipment = shipmentConfirmed('O-1', 'WH1', [{ lineId: '1', sku: 'FA', quantity: 4 }]);
    const shipped = await putEvent(rt, shipment);
    // COGS at the average of the moment: 4 × 12.00.
    expect(await costOf('FA')).toMatchObject({ quantity: 6, value: '72.00', unitCost: '12.00' });

    // By quantity: 10.00 over 10 + 10 units → 5.00 each; FA has 6 of its 10 left: 3.00 on, 2.00 to COGS.
    const second = await landedCost({
      landedCostId: 'LC-2',
      receiptRef: receipt,
      method: 'quantity',
      amounts: [{ kind: 'duty', amount: '10.00', currency: 'USD' }],
    });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body.allocations[0]).toEqual({
      sku: 'FA',
      locationId: 'WH1',
      amount: '5.00',
      toInventory: '3.00',
      toCogs: '2.00',
    });
    expect(await costOf('FA')).toMatchObject({ quantity: 6, value: '75.00', unitCost: '12.50' });
    expect(await costOf('FB')).toMatchObject({ quantity: 10, value: '65.00', unitCost: '6.50' });

    // Never twice: the same document again, and the shipment redelivered, change nothing.
    const again = await landedCost({
      landedCostId: 'LC-2',
      receiptRef: receipt,
      method: 'quantity',
      amounts: [{ kind: 'duty', amount: '10.00', currency: 'USD' }],
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(second.body);
    await putEvent(rt, { ...shipment, eventId: shipped });
    expect(await costOf('FA')).toMatchObject({ quantity: 6, value: '75.00' });
    const other = await landedCost({
      landedCostId: 'LC-2',
      receiptRef: receipt,
      method: 'quantity',
      amounts: [{ kind: 'duty', amount: '11.00', currency: 'USD' }],
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('LANDED_COST_CONFLICT');

    const tb = await balance(month);
    expect(tb.balanced).toBe(true);
    expect(accountBalance(tb, '1300')).toBe('140.00'); // 75.00 + 65.00 on hand
    expect(accountBalance(tb, '5010')).toBe('50.00'); // 48.00 shipped + 2.00 landed on sold units
    expect(accountBalance(tb, '2100')).toBe('-150.00');
    expect(accountBalance(tb, '2150')).toBe('-40.00');
    expect(accountBalance(tb, '4000')).toBe('-100.00');
    expect(accountBalance(tb, '1200')).toBe('100.00');
  });

  it('refuses landed costs it cannot book, naming why', async () => {
    const unknown = await landedCost({
      landedCostId: 'LC-X',
      receiptRef: 'ASN-NOPE',
      method: 'value',
      amounts: [{ kind: 'freight', amount: '1.00', currency: 'USD' }],
    });
    expect(unknown.status).toBe(404);
    const eur = await landedCost({
      landedCostId: 'LC-Y',
      receiptRef: 'ASN-F1',
      method: 'value',
      amounts: [{ kind: 'freight', amount: '1.00', currency: 'EUR' }],
    });
    expect(eur.status).toBe(422);
    expect(eur.body.error.code).toBe('CURRENCY_MISMATCH');
    const weightless = await landedCost({
      landedCostId: 'LC-Z',
      receiptRef: 'ASN-F1',
      method: 'weight',
      amounts: [{ kind: 'freight', amount: '1.00', currency: 'USD' }],
      weights: [{ sku: 'FA', grams: 100 }],
    });
    expect(weightless.status).toBe(400);
    expect(weightless.body.error.details.issues[0]).toEqual({
      field: 'weights',
      message: 'no weight for FB',
    });
    const tooPrecise = await landedCost({
      landedCostId: 'LC-W',
      receiptRef: 'ASN-F1',
      method: 'value',
      amounts: [{ kind: 'freight', amount: '1.001', currency: 'USD' }],
    });
    expect(tooPrecise.status).toBe(400);
  });

  it('writes off adjusted units at the average', async () => {
    const adj = await rt.api('POST', '/api/inventory/adjustments', {
      body: {
        sku: 'FA',
        locationId: 'WH1',
        delta: -2,
        reason: 'damaged in storage',
        idempotencyKey: 'fin-adj-1',
      },
    });
    expect(adj.status, JSON.stringify(adj.body)).toBe(201);
    await rt.settle();
    expect(await costOf('FA')).toMatchObject({ quantity: 4, value: '50.00', unitCost: '12.50' });
    const tb = await balance(month);
    expect(tb.balanced).toBe(true);
    expect(accountBalance(tb, '5100')).toBe('25.00');
  });
});

describe('periods', () => {
  it('closes only a month that has ended, once', async () => {
    const now = await rt.api('POST', `/api/finance/periods/${month}/close`, { role: 'finance' });
    expect(now.status).toBe(409);
    expect(now.body.error.code).toBe('PERIOD_NOT_ENDED');
    const bad = await rt.api('POST', '/api/finance/periods/2026-13/close', { role: 'finance' });
    expect(bad.status).toBe(400);
    const closed = await rt.api('POST', `/api/finance/periods/${lastMonth}/close`, { role: 'finance' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(201);
    expect(closed.body).toMatchObject({ period: lastMonth, status: 'closed' });
    const again = await rt.api('POST', `/api/finance/periods/${lastMonth}/close`, { role: 'finance' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(closed.body);
    const list = await rt.api('GET', '/api/finance/periods', { role: 'finance' });
    expect(list.body.items.map((p: { period: string; status: string }) => [p.period, p.status])).toEqual([
      [month, 'open'],
      [lastMonth, 'closed'],
    ]);
  });

  it('posts a late event of a closed month to the next open one, naming the closed month', async () => {
    const lateAt = `${lastMonth}-28T12:00:00.000Z`;
    await putEvent(rt, orderReceived('O-LATE', [{ lineId: '1', sku: 'FB', quantity: 1, unitPrice: 900 }]));
    const id = await putEvent(
      rt,
      shipmentConfirmed('O-LATE', 'WH1', [{ lineId: '1', sku: 'FB', quantity: 1 }], lateAt),
    );
    const closed = await balance(lastMonth);
    expect(closed).toMatchObject({ status: 'closed', entries: 0 });
    const open = await balance(month);
    expect(open.balanced).toBe(true);
    expect(open.latePostings).toEqual([
      { entryId: id, sourceEventId: id, sourceType: 'ShipmentConfirmed', lateFor: lastMonth },
    ]);
    expect(accountBalance(open, '4000')).toBe('-109.00');
  });
});
