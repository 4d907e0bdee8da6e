import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Bench, measure, round } from './context.ts';

/**
 * Receiving at the dock: POST /api/receipts/{asnId}/scans over HTTP (gateway, JWT, handler, the
 * scan's transaction — scan record, receipt, its count, the PO line, audit record — then
 * inventory's goods-in, the putaway task and GoodsReceived) beside the raw engine doing one
 * conditional UpdateItem per operation on as many items. Each dock scans its own ASN one scan
 * at a time, as a handheld does (scans of one receipt serialize on the receipt's version).
 */
const DOCKS = 16;

const bench: Bench = async ({ runtime, raw, tableName, scale }) => {
  const total = Math.max(200, Math.round(1000 * scale));
  const perDock = Math.ceil(total / DOCKS);

  for (let d = 0; d < DOCKS; d++) {
    await raw.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `BENCH#raw-${d}`, sk: 'ITEM' },
        UpdateExpression: 'SET n = :zero',
        ExpressionAttributeValues: { ':zero': 0 },
      }),
    );
  }
  const rawUpdate = await measure(total, DOCKS, (i) =>
    raw.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `BENCH#raw-${i % DOCKS}`, sk: 'ITEM' },
        UpdateExpression: 'SET n = n + :one',
        ConditionExpression: 'n >= :zero',
        ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
      }),
    ),
  );

  const ok = (what: string, res: { status: number; body: unknown }) => {
    if (res.status >= 300) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
  };
  ok(
    'location',
    await runtime.api('PUT', '/api/locations/BENCH-DC', { body: { name: 'Bench', type: 'warehouse' } }),
  );
  ok(
    'supplier',
    await runtime.api('PUT', '/api/suppliers/BENCH', {
      body: { name: 'Bench', leadTimeDays: 7, currency: 'USD' },
    }),
  );
  for (let d = 0; d < DOCKS; d++) {
    const sku = `BENCH-RCV-${d}`;
    ok('sku', await runtime.api('PUT', `/api/skus/${sku}`, { body: { name: sku } }));
    ok(
      'po',
      await runtime.api('POST', '/api/purchase-orders', {
        body: {
          poId: `BENCH-PO-${d}`,
          supplierId: 'BENCH',
          locationId: 'BENCH-DC',
          expectedAt: '2026-12-31',
          lines: [{ sku, quantity: perDock, unitCost: '1.00' }],
        },
      }),
    );
    ok(
      'asn',
      await runtime.api('POST', '/api/asns', {
        body: { asnId: `BENCH-ASN-${d}`, poId: `BENCH-PO-${d}`, lines: [{ sku, quantity: perDock }] },
      }),
    );
  }
  // A free dock for each scan: a dock is taken for one scan and handed back, so no two scans of
  // one receipt race (there are as many workers as docks, so one is always free).
  const free = Array.from({ length: DOCKS }, (_, d) => d);
  const http = await measure(total, DOCKS, async (i) => {
    const d = free.pop() as number;
    try {
      const res = await runtime.api('POST', `/api/receipts/BENCH-ASN-${d}/scans`, {
        role: 'warehouse-associate',
        body: { code: `BENCH-RCV-${d}`, quantity: 1, scanId: `bench-${i}` },
      });
      if (res.status !== 200) throw new Error(`scan answered ${res.status}: ${JSON.stringify(res.body)}`);
    } finally {
      free.push(d);
    }
  });
  await runtime.settle();
  return {
    rawConditionalUpdateItem: rawUpdate,
    receivingScanOverHttp: http,
    scanVsRawUpdate: round(http.perSecond / rawUpdate.perSecond),
    note: `${DOCKS} docks, each scanning its own ASN one unit at a time; scan = gateway + JWT + handler + reads of the ASN, PO and receipt + 5-item TransactWriteItems (scan, receipt, count, PO line, audit) + inventory goods-in (position and bin) + putaway task + scan bookkeeping + PutEvents; raw = one conditional UpdateItem`,
  };
};
export default bench;
