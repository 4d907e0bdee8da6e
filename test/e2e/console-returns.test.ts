import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  openConsole,
  signInAs,
  startConsoleRig,
  stopConsoleRig,
  VIEWPORTS,
  visibleText,
} from '../support/browser.ts';
import type { TestRuntime } from '../support/runtime.ts';
import {
  awaitReleased,
  openFloor,
  packAndShip,
  pickWave,
  planAllWaves,
  twoZoneFloor,
} from '../support/warehouse-floor.ts';
import { putChannel, sendOrder } from '../workflows/order-release-helpers.ts';

/**
 * A return in the console on a really shipped order: the dock receives the RMA's parcel on the
 * handheld (RMA code, then units by barcode and by SKU code), inspection records dispositions at
 * the desk, finance records the channel's refund, and the return ends completed.
 */
const SITE = 'RTN-WH';
// openFloor gives SKU i the barcode `0000000${i}1234`.
const TEE = { sku: 'RTN-TEE', barcode: '000000001234' };
const RMA = 'RMA-E2E';

let runtime: TestRuntime;
let browser: Browser;

beforeAll(async () => {
  ({ runtime, browser } = await startConsoleRig());
  await openFloor(runtime, twoZoneFloor(SITE, [TEE.sku], 10));
  await putChannel(runtime, 'rtn-shop', { locationIds: [SITE] });
  await sendOrder(runtime, 'rtn-shop', { externalId: 'RTN-1', lines: [{ sku: TEE.sku, quantity: 2 }] });
  const [f] = await awaitReleased(runtime, SITE, 1);
  for (const wave of await planAllWaves(runtime, SITE)) await pickWave(runtime, wave.waveId);
  const shipped = await packAndShip(runtime, f.fulfillmentId, '1Z-RTN');
  const created = await runtime.api('POST', '/api/returns', {
    role: 'customer-service',
    body: {
      returnId: RMA,
      orderId: shipped.orderId,
      lines: [{ sku: TEE.sku, quantity: 2, reason: 'defective' }],
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
});

afterAll(() => stopConsoleRig({ runtime, browser }));

const getReturn = async () => (await runtime.api('GET', `/api/returns/${RMA}`)).body;

async function scan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 5 });
  await page.keyboard.press('Enter');
}

describe('console: returns', () => {
  it('receives the parcel at the dock on the handheld, by RMA code then units', async () => {
    const { page, errors } = await openConsole(browser, runtime.url, { viewport: VIEWPORTS.handheld });
    await signInAs(page, 'warehouse-associate', { next: `/returns/dock?location=${SITE}` });
    await page.getByTestId('rma-input').waitFor();
    await scan(page, 'NO-SUCH-RMA');
    await eventually(() => page.getByTestId('scan-feedback').getAttribute('data-code')).toBe('NOT_FOUND');
    await scan(page, RMA);
    await page.getByTestId('dock-lines').waitFor();
    await scan(page, TEE.barcode);
    await eventually(() => visibleText(page.getByTestId('scan-feedback'))).toContain(`${TEE.sku}: 1 of 2`);
    await scan(page, TEE.sku.toLowerCase());
    await eventually(() => visibleText(page.getByTestId('scan-feedback'))).toContain(`${TEE.sku}: 2 of 2`);
    await page.getByTestId('dock-finish').click();
    await page.getByTestId('dock-done').waitFor();
    const r = await getReturn();
    expect(r).toMatchObject({ status: 'received', locationId: SITE, unexpected: [] });
    expect(r.lines).toMatchObject([{ sku: TEE.sku, quantity: 2, received: 2 }]);
    expect(errors).toEqual([]);
  });

  it('inspects at the desk, then finance records the refund and the return completes', async () => {
    const desk = await openConsole(browser, runtime.url);
    await signInAs(desk.page, 'inventory-controller', { next: `/returns/${RMA}` });
    const inspection = desk.page.getByTestId('inspection');
    await inspection.waitFor();
    await inspection.locator('input[type="number"]').fill('2');
    await desk.page.getByTestId('inspect-submit').click();
    await eventually(async () => (await getReturn()).status).toBe('inspected');
    expect((await getReturn()).lines[0].dispositions).toEqual({ restock: 2 });
    await eventually(async () => (await getReturn()).refund.status).toBe('requested');
    expect(desk.errors).toEqual([]);

    const finance = await openConsole(browser, runtime.url);
    await signInAs(finance.page, 'finance', { next: `/returns/${RMA}` });
    await finance.page.getByTestId('refund-issued').click();
    await eventually(async () => (await getReturn()).status).toBe('completed');
    await finance.page.getByTestId('return-timeline').getByText('completed', { exact: true }).waitFor();
    // The refund shows on the order too, where customer service looks first.
    await finance.page.goto(`/orders/${encodeURIComponent((await getReturn()).orderId)}`);
    const onOrder = finance.page.getByTestId('order-returns');
    await onOrder.getByText(RMA).waitFor();
    await eventually(() => visibleText(onOrder)).toContain('Issued');
    expect(finance.errors).toEqual([]);
  });
});
