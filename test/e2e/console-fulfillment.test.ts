import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  openConsole,
  saveScreenshot,
  signInAs,
  startConsoleRig,
  stopConsoleRig,
  VIEWPORTS,
  visibleText,
} from '../support/browser.ts';
import type { TestRuntime } from '../support/runtime.ts';
import { awaitReleased, openFloor } from '../support/warehouse-floor.ts';
import { putChannel, sendOrder } from '../workflows/order-release-helpers.ts';

/**
 * One order through the console's fulfillment screens: a supervisor plans its wave on the waves
 * board, an associate picks it on the handheld, packs it at the pack station and ships it.
 */
const SITE = 'CF-WH';
const LAMP = { sku: 'CF-LAMP', barcode: '000000001234' };

let runtime: TestRuntime;
let browser: Browser;
let orderId: string;

beforeAll(async () => {
  ({ runtime, browser } = await startConsoleRig());
  await openFloor(runtime, {
    site: SITE,
    timeZone: 'America/New_York',
    skus: [LAMP.sku],
    bins: [{ binId: 'A-01', zone: 'A', walkOrder: 10 }],
    unitsPerSku: 10,
    cutoffHours: { express: 2, ground: 4 },
  });
  await putChannel(runtime, 'console-shop', { locationIds: [SITE] });
  orderId = await sendOrder(runtime, 'console-shop', {
    externalId: 'CF-1001',
    serviceLevel: 'expedited',
    lines: [{ sku: LAMP.sku, quantity: 2 }],
  });
  await awaitReleased(runtime, SITE, 1);
});

afterAll(() => stopConsoleRig({ runtime, browser }));

/** The text of the option a native select shows as chosen. */
const chosen = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? '');

async function scan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 5 });
  await page.keyboard.press('Enter');
}

describe('console: waves board, pick, pack and ship', () => {
  it('plans a wave, picks it on the scanner, packs, ships and shows the confirmation', async () => {
    // The waves board: the order waits with its cutoff countdown; the supervisor plans a wave.
    const desk = await openConsole(browser, runtime.url);
    let waveId: string;
    try {
      await signInAs(desk.page, 'supervisor', { next: `/warehouse?location=${SITE}` });
      const ready = desk.page.getByTestId('ready-table');
      await ready.getByText('CF-1001').waitFor();
      expect(await visibleText(ready)).toMatch(/expedited[\s\S]*2[\s\S]*cutoff in \d/);
      await desk.page.getByTestId('plan-wave').click();
      await desk.page.getByText(/^Wave .+ planned$/).waitFor();
      const waves = desk.page.getByTestId('waves-table');
      await waves.getByText('0 of 2 units').waitFor();
      waveId = (await waves.locator('tbody tr a').first().textContent()) as string;
      await ready.getByText('Nothing waiting').waitFor();
      await saveScreenshot(desk.page, 'warehouse-waves');
      expect(desk.errors).toEqual([]);
    } finally {
      await desk.context.close();
    }

    // The handheld: bin, then both units; the wave is then done.
    const handheld = await openConsole(browser, runtime.url, { viewport: VIEWPORTS.handheld });
    try {
      const { page } = handheld;
      await signInAs(page, 'warehouse-associate');
      await page.goto(`/warehouse/pick?wave=${encodeURIComponent(waveId)}`);
      await eventually(() => page.getByTestId('pick-bin').textContent()).toBe('A-01');
      expect(await page.getByTestId('pick-left').textContent()).toBe('2');
      await scan(page, 'A-01');
      await eventually(() => visibleText(page.getByTestId('scan-feedback'))).toContain('Bin A-01 confirmed');
      await scan(page, LAMP.barcode);
      await eventually(() => page.getByTestId('pick-left').textContent()).toBe('1');
      await scan(page, LAMP.barcode);
      await page.getByTestId('wave-done').waitFor();
      expect(handheld.errors).toEqual([]);
    } finally {
      await handheld.context.close();
    }

    // The pack station: choose the picked order, scan units (refusals shown big), parcels, ship.
    const station = await openConsole(browser, runtime.url);
    try {
      const { page } = station;
      await signInAs(page, 'warehouse-associate', { next: `/warehouse/pack?location=${SITE}` });
      const picked = page.getByTestId('picked-table');
      await picked.getByText('CF-1001').waitFor();
      await picked.getByRole('button', { name: 'Pack' }).click();
      await page.getByTestId('pack-scan-input').waitFor();
      await page.getByTestId('pack-scan-input').locator('input').click();

      await scan(page, 'NOT-ON-ORDER');
      await eventually(() => page.getByTestId('scan-feedback').getAttribute('data-code')).toBe('WRONG_ITEM');
      await scan(page, LAMP.sku);
      await eventually(() => visibleText(page.getByTestId('pack-progress'))).toContain('1 of 2 units');

      // Parcels before every unit is scanned: refused, and said so.
      for (const [field, value] of Object.entries({
        weightGrams: '900',
        lengthMm: '300',
        widthMm: '200',
        heightMm: '150',
      }))
        await page.getByTestId(`parcel-1-${field}`).locator('input').fill(value);
      await page.getByTestId('save-packages').click();
      await page.getByTestId('pack-incomplete').waitFor();

      await page.getByTestId('pack-scan-input').locator('input').click();
      await scan(page, LAMP.sku);
      await eventually(() => visibleText(page.getByTestId('pack-progress'))).toContain('2 of 2 units');
      await page.getByTestId('pack-scan-input').locator('input').click();
      await scan(page, LAMP.sku);
      await eventually(() => page.getByTestId('scan-feedback').getAttribute('data-code')).toBe('EXTRA_UNIT');
      expect(await visibleText(page.getByTestId('scan-feedback'))).toContain('Extra unit');

      await page.getByTestId('save-packages').click();
      // Packed: the ship form, with the carrier and service the cutoff was planned with.
      await page.getByTestId('ship-form').waitFor();
      await eventually(() => chosen(page, 'ship-carrier')).toContain('UPS');
      expect(await chosen(page, 'ship-service')).toContain('express');
      await page.getByTestId('ship-tracking').locator('input').fill('1ZCF1001');
      await page.getByTestId('ship').click();
      const confirmation = page.getByTestId('ship-confirmation');
      await confirmation.waitFor();
      expect(await visibleText(confirmation)).toMatch(/UPS · express[\s\S]*1ZCF1001/);
      await saveScreenshot(page, 'warehouse-pack-shipped');
      expect(station.errors).toEqual([]);
    } finally {
      await station.context.close();
    }

    // What the API holds: shipped once, with that tracking number.
    await runtime.settle();
    const list = await runtime.api('GET', `/api/fulfillments?orderId=${encodeURIComponent(orderId)}`);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      status: 'shipped',
      shipment: { carrier: 'UPS', service: 'express', trackingNumber: '1ZCF1001' },
    });
    const confirmed = runtime.bus
      .events({ detailType: 'ShipmentConfirmed' })
      .filter((e: any) => e.detail?.data?.orderId === orderId);
    expect(confirmed).toHaveLength(1);
  });

  it('sets up bins, carriers and wave settings of the location in Settings', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'supervisor', { next: `/settings/bins?location=${SITE}` });
      const bins = page.getByTestId('bins-table');
      await bins.getByText(`${LAMP.sku} ×`, { exact: false }).first().waitFor();
      expect(await visibleText(bins)).toMatch(/RECEIVING[\s\S]*STAGING|STAGING[\s\S]*RECEIVING/);

      await page.getByTestId('add-bin').click();
      const form = page.getByTestId('bin-form');
      await form.getByTestId('bin-id').locator('input').fill('B-07');
      await form.getByTestId('bin-zone').locator('input').fill('B');
      await form.getByTestId('bin-walk-order').locator('input').fill('70');
      await form.getByTestId('save-bin').click();
      await page.getByText(`Bin B-07 saved at ${SITE}`).waitFor();
      await bins.getByText('B-07', { exact: true }).first().waitFor();

      const settings = page.getByTestId('fulfillment-settings-form');
      const rate = settings.getByRole('spinbutton').nth(2);
      await eventually(() => rate.inputValue()).not.toBe('');
      await rate.fill('6');
      await settings.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText(`Fulfillment settings of ${SITE} saved`).waitFor();
      const saved = await runtime.api('GET', `/api/fulfillment-settings/${SITE}`);
      expect(saved.body.unitsPerMinute).toBe(6);

      // Carriers: the one the floor was opened with, saved again from the form unchanged.
      await page.goto('/settings/carriers');
      const carriers = page.getByTestId('carriers-table');
      await carriers.getByText('express', { exact: true }).waitFor();
      await carriers.getByRole('button', { name: 'Edit UPS' }).click();
      await page.getByTestId('save-carrier').click();
      await page.getByText('Carrier UPS saved').waitFor();
      const after = await runtime.api('GET', '/api/carriers');
      const ups = after.body.items.find((c: any) => c.carrierId === 'UPS');
      expect(ups.services.map((s: any) => s.code)).toEqual(['express', 'ground']);
      expect(ups.services[0].cutoffs[0].locationId).toBe(SITE);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
