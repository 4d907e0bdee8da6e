import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConsoleRig,
  eventually,
  openConsole,
  signInAs,
  startConsoleRig,
  stopConsoleRig,
  visibleText,
} from '../support/browser.ts';
import { type FakeShopify, startFakeShopify } from '../support/fakes/shopify.ts';

/** Settings → Channels → Stock sync: what a supervisor reads, and an administrator's resync. */
let rig: ConsoleRig;
let shopify: FakeShopify;
const TOKEN = 'shpat_console';
const KEY = 'gid://shopify/InventoryItem/9|gid://shopify/Location/9';

beforeAll(async () => {
  shopify = await startFakeShopify({ token: TOKEN });
  rig = await startConsoleRig();
  const { runtime } = rig;
  await runtime.api('PUT', '/api/locations/SYNC-WH', { body: { name: 'Sync WH', type: 'warehouse' } });
  await runtime.api('PUT', '/api/skus/SYNC-1', { body: { name: 'Synced' } });
  const channel = await runtime.api('PUT', '/api/channels/sync-shop', {
    body: {
      type: 'shopify',
      secret: 'app-secret',
      locationIds: ['SYNC-WH'],
      connection: {
        apiBaseUrl: shopify.url,
        accessToken: TOKEN,
        locationMap: { 'SYNC-WH': 'gid://shopify/Location/9' },
      },
    },
  });
  expect(channel.status, JSON.stringify(channel.body)).toBe(201);
  await runtime.api('PUT', '/api/channels/sync-shop/listings/9', {
    body: { sku: 'SYNC-1', inventoryItemId: 'gid://shopify/InventoryItem/9' },
  });
  await runtime.settle();
  await runtime.api('POST', '/api/inventory/adjustments', {
    body: {
      sku: 'SYNC-1',
      locationId: 'SYNC-WH',
      delta: 7,
      reason: 'opening',
      idempotencyKey: 'sync-open-1',
    },
  });
  await runtime.settle();
  expect(shopify.available.get(KEY)).toBe(7);
}, 240_000);
afterAll(async () => {
  await stopConsoleRig(rig ?? {});
  await shopify?.close();
});

describe('channel stock sync in the console', () => {
  it('shows a supervisor the channel healthy with its last push, without a resync button', async () => {
    const { context, page, errors } = await openConsole(rig.browser, rig.runtime.url);
    try {
      await signInAs(page, 'supervisor');
      await page.goto('/settings/channels');
      const panel = page.getByTestId('channel-sync');
      await panel.getByRole('textbox').fill('sync-shop');
      await panel.getByRole('button', { name: 'Show' }).click();
      await panel.getByText('Healthy').waitFor();
      const text = await visibleText(panel);
      expect(text).toContain('Pending pushes');
      expect(text).not.toContain('Never');
      expect(text).toContain('No failures');
      expect(await panel.getByRole('button', { name: 'Resync all SKUs' }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lets an administrator resync: the channel gets our number back', async () => {
    shopify.available.clear();
    const { context, page, errors } = await openConsole(rig.browser, rig.runtime.url);
    try {
      await signInAs(page, 'admin');
      await page.goto('/settings/channels');
      const panel = page.getByTestId('channel-sync');
      await panel.getByRole('textbox').fill('sync-shop');
      await panel.getByRole('button', { name: 'Show' }).click();
      await panel.getByRole('button', { name: 'Resync all SKUs' }).click();
      await page.getByText('Resync of sync-shop started: 1 SKU to push').waitFor();
      await eventually(() => shopify.available.get(KEY)).toBe(7);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lets an administrator connect an Amazon channel: the LWA credentials are stored, never shown', async () => {
    const { context, page, errors } = await openConsole(rig.browser, rig.runtime.url);
    try {
      await signInAs(page, 'admin');
      await page.goto('/settings/channels');
      const form = page.getByTestId('channel-form');
      await form.getByLabel('Channel id').fill('sync-amz');
      await form.getByRole('button', { name: /^Type/ }).click();
      await page.getByRole('option', { name: /Amazon/ }).click();
      await form.getByLabel('Serving locations').fill('SYNC-WH');
      await form.getByLabel('Seller id').fill('A3CONSOLESELLER');
      await form.getByLabel('LWA client id').fill('amzn1.application-oa2-client.console');
      await form.getByLabel('LWA client secret').fill('lwa-secret-console');
      await form.getByLabel('Refresh token').fill('Atzr|refresh-console');
      await form.getByRole('button', { name: 'Save channel' }).click();
      await page.getByText('Channel sync-amz saved').waitFor();
      const res = await rig.runtime.api('GET', '/api/channels/sync-amz');
      expect(res.body).toMatchObject({
        type: 'amazon',
        sellerId: 'A3CONSOLESELLER',
        connection: { hasAccessToken: true },
      });
      expect(JSON.stringify(res.body)).not.toMatch(/lwa-secret-console|refresh-console/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
