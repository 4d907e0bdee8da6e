import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConsoleRig,
  openConsole,
  signInAs,
  startConsoleRig,
  stopConsoleRig,
  visibleText,
} from '../support/browser.ts';

/** Inventory → a 3PL location: its open reconciliations, read by a supervisor, approved by an inventory controller. */
let rig: ConsoleRig;
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;

beforeAll(async () => {
  rig = await startConsoleRig();
  const { runtime } = rig;
  const put = await runtime.api('PUT', '/api/locations/TPL-C', {
    body: {
      name: 'Acme 3PL',
      type: '3pl',
      connection: { provider: 'generic', apiBaseUrl: 'http://127.0.0.1:9', webhookSecret: SECRET },
    },
  });
  expect(put.status, JSON.stringify(put.body)).toBe(201);
  await runtime.api('PUT', '/api/skus/TPLC-1', { body: { name: 'At the 3PL' } });
  await runtime.api('POST', '/api/inventory/adjustments', {
    body: { sku: 'TPLC-1', locationId: 'TPL-C', delta: 6, reason: 'opening', idempotencyKey: 'tplc-open-1' },
  });
  await runtime.settle();
  const id = 'msg_console_snapshot';
  const at = new Date();
  const body = JSON.stringify({
    type: 'inventory.snapshot',
    data: { asOf: at.toISOString(), items: [{ sku: 'TPLC-1', onHand: 4 }] },
  });
  const res = await fetch(`${runtime.url}/webhooks/3pl/TPL-C`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(SECRET).sign(id, at, body),
    },
    body,
  });
  expect(res.status, await res.text()).toBe(200);
}, 240_000);
afterAll(async () => {
  await stopConsoleRig(rig ?? {});
});

const onHand = async () => {
  const res = await rig.runtime.api('GET', '/api/inventory/TPLC-1');
  return res.body.positions.find((p: { locationId: string }) => p.locationId === 'TPL-C')?.onHand;
};

describe('3PL reconciliations in the console', () => {
  it('shows a supervisor the open reconciliation and the connection, without an Approve button', async () => {
    const { context, page, errors } = await openConsole(rig.browser, rig.runtime.url);
    try {
      await signInAs(page, 'supervisor');
      await page.goto('/inventory/locations/TPL-C');
      const table = page.getByTestId('reconciliations');
      await table.getByText('TPLC-1 -2 (4 vs 6)').waitFor();
      expect(await table.getByRole('button', { name: 'Approve' }).count()).toBe(0);
      const text = await visibleText(page.locator('body'));
      expect(text).toContain('3PL connection');
      expect(text).not.toContain(SECRET);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lets an inventory controller approve it with a note: the stock follows the 3PL', async () => {
    expect(await onHand()).toBe(6);
    const { context, page, errors } = await openConsole(rig.browser, rig.runtime.url);
    try {
      await signInAs(page, 'inventory-controller');
      await page.goto('/inventory/locations/TPL-C');
      const table = page.getByTestId('reconciliations');
      await table.getByRole('button', { name: 'Approve' }).click();
      await page.getByTestId('approve-note').locator('textarea').fill('3PL recount confirmed');
      await page.getByTestId('approve-submit').click();
      await page.getByText('Reconciliation approved: 1 adjustment(s) posted').waitFor();
      await table.getByText('No open reconciliations').waitFor();
      await rig.runtime.settle();
      expect(await onHand()).toBe(4);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
