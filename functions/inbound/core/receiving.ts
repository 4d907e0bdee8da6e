import { randomUUID } from 'node:crypto';
import { Conflict } from '#shared/errors';
import {
  AsnNotFound,
  NotOnAsn,
  OverReceipt,
  PoNotReceivable,
  PurchaseOrderNotFound,
  ReceiptClosed,
  ScanIdReused,
} from '../errors.ts';
import { GoodsReceived } from '../events/goods-received.ts';
import { ReceivingExceptionRaised } from '../events/receiving-exception-raised.ts';
import { type Asn, type PoLine, type PurchaseOrder, RECEIVABLE } from '../schemas/inbound.ts';
import {
  type ExceptionType,
  type Receipt,
  type ReceiptLine,
  type ReceivingException,
  receivableMax,
  type ScanBody,
  type ScanRecord,
} from '../schemas/receiving.ts';
import { fingerprintOf, inboundEvent } from './fingerprint.ts';
import type { Actor, ReceivingPorts } from './ports.ts';
import { putawayTaskId } from './putaway.ts';

/** Attempts at a write that lost a race with another scan or close of the same receipt. */
const ATTEMPTS = 3;

export interface ReceiptView {
  lines: { sku: string; expected: number; received: number }[];
}

async function asnAndPo(ports: ReceivingPorts, asnId: string) {
  const asn = await ports.store.getAsn(asnId);
  if (!asn) throw new AsnNotFound(asnId);
  const found = await ports.store.purchaseOrder(asn.poId);
  if (!found) throw new PurchaseOrderNotFound(asn.poId);
  return { asn, ...found };
}

/** The ASN's SKU a code stands for (its SKU code, else one of its barcodes); else the code itself. */
async function resolve(
  ports: ReceivingPorts,
  asn: Asn,
  code: string,
): Promise<{ sku: string; onAsn: boolean }> {
  const skus = asn.totals.map((t) => t.sku);
  if (skus.includes(code)) return { sku: code, onAsn: true };
  const barcodes = await ports.barcodes(skus);
  const sku = skus.find((s) => barcodes.get(s)?.includes(code));
  return sku ? { sku, onAsn: true } : { sku: code, onAsn: false };
}

/** The inventory key of a scan: derived from asnId + scanId, so a retried scan moves stock once. */
const stockKey = (asnId: string, scanId: string) =>
  `inbound-receipt:${fingerprintOf(`${asnId}\n${scanId}`).slice(0, 40)}`;

function view(asn: Asn, lines: readonly ReceiptLine[]): ReceiptView {
  return {
    lines: asn.totals.map((t) => ({
      sku: t.sku,
      expected: t.quantity,
      received: lines.find((l) => l.sku === t.sku)?.received ?? 0,
    })),
  };
}

function exceptionEvent(
  asn: Asn,
  locationId: string,
  e: ReceivingException,
  key: string,
  at: string,
  cid: string,
) {
  return inboundEvent(
    ReceivingExceptionRaised,
    { asnId: asn.asnId, poId: asn.poId, locationId, ...e, raisedAt: at },
    key,
    at,
    cid,
  );
}

/**
 * A recorded scan's units into inventory (idempotent by the scan's key), a putaway task for good
 * units (idempotent by its id from the scan), marked on the scan, then GoodsReceived (its id derived from the scan, so a repeat is the same event).
 */
async function stockIn(
  ports: ReceivingPorts,
  asn: Asn,
  po: PurchaseOrder,
  lines: readonly PoLine[],
  scan: ScanRecord,
  who: Actor,
) {
  const key = `${asn.asnId}#${scan.scanId}`;
  await ports.inventory.receive(
    {
      sku: scan.sku,
      locationId: po.locationId,
      quantity: scan.quantity,
      bucket: scan.condition === 'good' ? 'available' : 'damaged',
      reason: `receipt of ASN ${asn.asnId} (PO ${po.poId})`,
      idempotencyKey: stockKey(asn.asnId, scan.scanId),
    },
    who,
  );
  if (scan.condition === 'good') {
    await ports.putaway.create({
      taskId: putawayTaskId(asn.asnId, scan.scanId),
      asnId: asn.asnId,
      scanId: scan.scanId,
      poId: po.poId,
      locationId: po.locationId,
      sku: scan.sku,
      quantity: scan.quantity,
      status: 'open',
      createdAt: scan.at,
    });
  }
  if (!scan.stockedAt) await ports.receipts.markStocked(asn.asnId, scan.scanId, ports.clock().toISOString());
  await ports.events.publish([
    inboundEvent(
      GoodsReceived,
      {
        asnId: asn.asnId,
        poId: po.poId,
        scanId: scan.scanId,
        locationId: po.locationId,
        sku: scan.sku,
        quantity: scan.quantity,
        condition: scan.condition,
        currency: po.currency,
        unitCostMinor: lines.find((l) => l.sku === scan.sku)?.unitCostMinor ?? 0,
        receivedAt: scan.at,
      },
      key,
      scan.at,
      who.correlationId,
    ),
  ]);
}

/**
 * What a recorded scan does after its write: stock in (idempotent by its key) and GoodsReceived,
 * or for a SKU not on the ASN the wrong-SKU exception and 409 NOT_ON_ASN. A retry of the scan
 * repeats exactly this, so a crash between the write and the stock is healed by retrying.
 */
async function complete(
  ports: ReceivingPorts,
  asn: Asn,
  po: PurchaseOrder,
  lines: readonly PoLine[],
  scan: ScanRecord,
  who: Actor,
): Promise<ReceiptView> {
  const key = `${asn.asnId}#${scan.scanId}`;
  if (!scan.onAsn) {
    await ports.events.publish([
      exceptionEvent(
        asn,
        po.locationId,
        { type: 'wrong_sku', sku: scan.sku, quantity: scan.quantity },
        key,
        scan.at,
        who.correlationId,
      ),
    ]);
    throw new NotOnAsn(asn.asnId, scan.code, scan.sku);
  }
  await stockIn(ports, asn, po, lines, scan, who);
  return view(asn, (await ports.receipts.receipt(asn.asnId)).lines);
}

/**
 * One scan at the dock. Good units go into the PO location's RECEIVING bin, damaged ones into its
 * damaged bucket; the receipt and the PO line count both. Refused with nothing received: a SKU not
 * on the ASN (409 NOT_ON_ASN, recorded as a wrong-SKU exception), more than the ASN or the PO line
 * plus the tolerance (409 OVER_RECEIPT), a closed receipt (409 RECEIPT_CLOSED).
 */
export async function scanReceipt(
  ports: ReceivingPorts,
  asnId: string,
  body: ScanBody,
  who: Actor,
): Promise<ReceiptView> {
  const { asn, po, lines } = await asnAndPo(ports, asnId);
  const quantity = body.quantity ?? 1;
  const condition = body.condition ?? 'good';
  const same = (s: ScanRecord) =>
    s.code === body.code && s.quantity === quantity && s.condition === condition;
  if (body.scanId) {
    const prior = await ports.receipts.scan(asnId, body.scanId);
    if (prior) {
      if (!same(prior)) throw new ScanIdReused(asnId, body.scanId);
      return complete(ports, asn, po, lines, prior, who);
    }
  }
  const { sku, onAsn } = await resolve(ports, asn, body.code);
  const scan: ScanRecord = {
    scanId: body.scanId ?? randomUUID(),
    code: body.code,
    sku,
    quantity,
    condition,
    onAsn,
    at: ports.clock().toISOString(),
    actor: who.actor,
  };
  for (let attempt = 1; ; attempt++) {
    const state = await ports.receipts.receipt(asnId);
    if (state.receipt?.status === 'closed') throw new ReceiptClosed(asnId);
    let limits: { maxBefore: number; poMaxBefore: number } | undefined;
    let poLines = lines;
    if (onAsn) {
      const now = attempt === 1 ? { po, lines } : await ports.store.purchaseOrder(po.poId);
      if (!now) throw new PurchaseOrderNotFound(po.poId);
      if (!RECEIVABLE.includes(now.po.status)) throw new PoNotReceivable(po.poId, now.po.status);
      poLines = now.lines;
      const expected = asn.totals.find((t) => t.sku === sku)?.quantity ?? 0;
      const received = state.lines.find((l) => l.sku === sku)?.received ?? 0;
      const max = receivableMax(expected);
      if (received + quantity > max) {
        throw new OverReceipt({ asnId, sku, expected, received: received + quantity, max });
      }
      const poLine = now.lines.find((l) => l.sku === sku);
      const poMax = receivableMax(poLine?.quantity ?? 0);
      if ((poLine?.received ?? 0) + quantity > poMax) {
        throw new OverReceipt({
          asnId,
          sku,
          expected: poLine?.quantity ?? 0,
          received: (poLine?.received ?? 0) + quantity,
          max: poMax,
        });
      }
      limits = { maxBefore: max - quantity, poMaxBefore: poMax - quantity };
    }
    const receipt = { asnId, poId: po.poId, locationId: po.locationId };
    if (await ports.receipts.recordScan({ receipt, scan, ...(limits ? { limits } : {}) })) {
      return complete(ports, asn, po, poLines, scan, who);
    }
    // Lost a race: the same scan from a concurrent retry, a close, or counts that moved.
    const raced = body.scanId ? await ports.receipts.scan(asnId, body.scanId) : undefined;
    if (raced) {
      if (!same(raced)) throw new ScanIdReused(asnId, scan.scanId);
      return complete(ports, asn, po, poLines, raced, who);
    }
    if (attempt >= ATTEMPTS) {
      throw new Conflict('CONCURRENT_CHANGE', `Receipt of ASN ${asnId} changed meanwhile; repeat the scan`);
    }
  }
}

const ORDER: Record<ExceptionType, number> = { over: 0, short: 0, damaged: 1, wrong_sku: 2 };

/** Short and over per SKU against the ASN, damaged units, then SKUs that were not on it. */
export function receiptExceptions(asn: Asn, lines: readonly ReceiptLine[]): ReceivingException[] {
  const out: ReceivingException[] = [];
  for (const t of asn.totals) {
    const line = lines.find((l) => l.sku === t.sku);
    const received = line?.received ?? 0;
    if (received > t.quantity) out.push({ type: 'over', sku: t.sku, quantity: received - t.quantity });
    if (received < t.quantity) out.push({ type: 'short', sku: t.sku, quantity: t.quantity - received });
    if (line?.damaged) out.push({ type: 'damaged', sku: t.sku, quantity: line.damaged });
  }
  for (const l of lines) if (l.wrong > 0) out.push({ type: 'wrong_sku', sku: l.sku, quantity: l.wrong });
  return out.sort((a, b) => ORDER[a.type] - ORDER[b.type] || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

/**
 * Closes the receipt: its exceptions are computed once and kept, the PO becomes `received` when
 * every line has all it ordered, else `partially_received`. Closing again answers the same
 * exceptions (and re-sends the identical events). Over, short and damaged are raised here; a
 * wrong SKU was raised at its scan. Scans whose units never reached inventory are finished first.
 */
export async function closeReceipt(
  ports: ReceivingPorts,
  asnId: string,
  who: Actor,
): Promise<{ exceptions: ReceivingException[] }> {
  for (let attempt = 1; ; attempt++) {
    const { asn, po, lines } = await asnAndPo(ports, asnId);
    // A scan written before a crash whose units never reached inventory (and whose caller never
    // retried) is finished here, so the counts being closed are all in stock.
    for (const scan of await ports.receipts.unstockedScans(asnId))
      await stockIn(ports, asn, po, lines, scan, who);
    const state = await ports.receipts.receipt(asnId);
    let closed = state.receipt?.status === 'closed' ? state.receipt : undefined;
    if (!closed) {
      const at = ports.clock().toISOString();
      const receipt: Receipt = {
        asnId,
        poId: po.poId,
        locationId: po.locationId,
        status: 'closed',
        ...(state.receipt?.firstScanAt ? { firstScanAt: state.receipt.firstScanAt } : {}),
        closedAt: at,
        closedBy: who.actor,
        exceptions: receiptExceptions(asn, state.lines),
        version: (state.receipt?.version ?? 0) + 1,
      };
      const full = lines.filter((l) => l.received >= l.quantity);
      const written = await ports.receipts.close({
        receipt,
        ...(state.receipt ? { readVersion: state.receipt.version } : {}),
        ...(RECEIVABLE.includes(po.status)
          ? {
              po: {
                po,
                status: full.length === lines.length ? 'received' : 'partially_received',
                fullSkus: full.map((l) => l.sku),
              },
            }
          : {}),
      });
      if (written) closed = receipt;
      else if (attempt >= ATTEMPTS) {
        throw new Conflict(
          'CONCURRENT_CHANGE',
          `Receipt of ASN ${asnId} changed meanwhile; repeat the close`,
        );
      } else continue;
    }
    const exceptions = closed.exceptions ?? [];
    const at = closed.closedAt ?? ports.clock().toISOString();
    await ports.events.publish(
      exceptions
        .filter((e) => e.type !== 'wrong_sku')
        .map((e) =>
          exceptionEvent(
            asn,
            closed.locationId,
            e,
            `${asnId}#close#${e.type}#${e.sku}`,
            at,
            who.correlationId,
          ),
        ),
    );
    return { exceptions };
  }
}
