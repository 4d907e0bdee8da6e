import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmStart, npmToken } from '../support/npm-start.ts';
import { freePort } from '../support/ports.ts';

let env: Record<string, string>;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'qm-e2e-'));
  env = {
    PORT: String(await freePort()),
    QM_DDB_PORT: String(await freePort()),
    QM_S3_PORT: String(await freePort()),
    QM_DATA_DIR: dataDir,
  };
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function call(url: string, token: string, method: string, p: string, body?: unknown) {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('npm start, as a user runs it', () => {
  it('becomes healthy within 60 s, serves the slice, stops on Ctrl-C and keeps its data', async () => {
    const first = await npmStart(env);
    expect(first.secondsToHealthy).toBeLessThan(60);
    // /health answers as soon as the gateway listens; the banner follows once start-up completes.
    for (let i = 0; i < 200 && !first.output().includes('Quartermaster is running'); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(first.output()).toContain('Quartermaster is running');

    const token = await npmToken(env, 'admin');
    expect(token.split('.')).toHaveLength(3);
    expect(
      (await call(first.url, token, 'PUT', '/api/locations/DC-EAST', { name: 'East DC', type: 'warehouse' }))
        .status,
    ).toBe(201);
    expect((await call(first.url, token, 'PUT', '/api/skus/MUG-01', { name: 'Mug' })).status).toBe(201);
    const adj = await call(first.url, token, 'POST', '/api/inventory/adjustments', {
      sku: 'MUG-01',
      locationId: 'DC-EAST',
      delta: 40,
      reason: 'opening balance',
      idempotencyKey: 'e2e-opening-mug',
    });
    expect(adj.status).toBe(201);
    const noToken = await fetch(`${first.url}/api/inventory/MUG-01`);
    expect(noToken.status).toBe(401);

    expect(await first.interrupt()).toContain('Stopped. Data kept in');

    const second = await npmStart(env);
    try {
      const tokenAgain = await npmToken(env, 'inventory-controller');
      const stock = await call(second.url, tokenAgain, 'GET', '/api/inventory/MUG-01');
      expect(stock.status).toBe(200);
      expect(stock.body.positions).toMatchObject([{ locationId: 'DC-EAST', onHand: 40, available: 40 }]);
    } finally {
      expect(await second.interrupt()).toContain('Stopped. Data kept in');
    }
  });
});
