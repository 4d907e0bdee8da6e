import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
  await rt.api('PUT', '/api/skus/TEE-RED-M', {
    body: { name: 'Organic Tee Red M', barcodes: ['0712345678911'] },
  });
  await rt.api('PUT', '/api/skus/TEE-RED-L', { body: { name: 'Organic Tee Red L' } });
  await rt.api('PUT', '/api/skus/MUG-01', { body: { name: 'Enamel mug' } });
});
afterAll(() => rt?.stop());

describe('SKU search', () => {
  it('finds a SKU by a scanned barcode', async () => {
    const res = await rt.api('GET', '/api/skus?barcode=0712345678911', { role: 'warehouse-associate' });
    expect(res.status).toBe(200);
    expect(res.body.items.map((s: { sku: string }) => s.sku)).toEqual(['TEE-RED-M']);
  });

  it('answers an empty list for an unknown barcode', async () => {
    const res = await rt.api('GET', '/api/skus?barcode=999');
    expect(res.body.items).toEqual([]);
  });

  it('matches the start of the SKU code or any part of the name, ignoring case', async () => {
    const byCode = await rt.api('GET', '/api/skus?q=tee-red');
    expect(byCode.body.items.map((s: { sku: string }) => s.sku).sort()).toEqual(['TEE-RED-L', 'TEE-RED-M']);
    const byName = await rt.api('GET', '/api/skus?q=enamel');
    expect(byName.body.items.map((s: { sku: string }) => s.sku)).toEqual(['MUG-01']);
  });

  it('pages through matches', async () => {
    const first = await rt.api('GET', '/api/skus?q=organic&limit=1');
    expect(first.body.items).toHaveLength(1);
    const second = await rt.api('GET', `/api/skus?q=organic&limit=1&cursor=${first.body.cursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].sku).not.toBe(first.body.items[0].sku);
  });

  it('lists the whole catalog in SKU order, page by page', async () => {
    const first = await rt.api('GET', '/api/skus?limit=2');
    expect(first.body.items.map((s: { sku: string }) => s.sku)).toEqual(['MUG-01', 'TEE-RED-L']);
    const second = await rt.api('GET', `/api/skus?limit=2&cursor=${first.body.cursor}`);
    expect(second.body.items.map((s: { sku: string }) => s.sku)).toEqual(['TEE-RED-M']);
  });

  it('rejects a page size it will not serve', async () => {
    const res = await rt.api('GET', '/api/skus?limit=1000');
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].field).toBe('query.limit');
  });
});
