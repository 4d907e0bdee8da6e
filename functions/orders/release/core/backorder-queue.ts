import type { StockSnapshot } from '../schemas.ts';
import { allocate, backorder, release, reserve } from './durable-steps.ts';
import { openHolds } from './holds.ts';
import type { ReleasePorts } from './ports.ts';
import { isCancelled, type StepContext } from './release-state.ts';

/** Backorders: waiting orders retried in release order when their stock comes back. */

const LOCK_LEASE_MS = 5 * 60_000;
const QUEUE_PAGE = 25;

const freeUnits = (stock: StockSnapshot, sku: string) =>
  [...(stock.get(sku)?.values() ?? [])].reduce((s, p) => s + Math.max(0, p.available), 0);

/**
 * Stock of `sku` may have come back: retry its backorders in release order (highest channel
 * priority first, then oldest), one run per SKU at a time. A run that finds the lock taken
 * flags the holder, which looks at the queue again before letting go — so arrivals during a
 * run are never lost, and two runs never race for the same units out of order.
 */
export async function retryBackorders(
  ports: ReleasePorts,
  sku: string,
  owner: string,
  ctx: StepContext,
): Promise<{ ran: boolean; released: string[] }> {
  if ((await ports.backorders.acquire(sku, owner, LOCK_LEASE_MS)) === 'flagged')
    return { ran: false, released: [] };
  // A failure lets the lease lapse rather than hand over a queue in an unknown state; the bus
  // retries this invocation, and the retry (or the next arrival after the lease) runs it again.
  const released: string[] = [];
  do {
    released.push(...(await runQueue(ports, sku, ctx)));
  } while ((await ports.backorders.releaseLock(sku, owner, LOCK_LEASE_MS)) === 'again');
  return { ran: true, released };
}

async function runQueue(ports: ReleasePorts, sku: string, ctx: StepContext): Promise<string[]> {
  const released: string[] = [];
  let after: string | undefined;
  for (;;) {
    if (freeUnits(await ports.stock.snapshot([sku]), sku) <= 0) return released;
    const page = await ports.backorders.page(sku, QUEUE_PAGE, after);
    for (const entry of page.entries) {
      const outcome = await retryOrder(ports, entry.orderId, ctx);
      if (outcome === 'released') released.push(entry.orderId);
      else if (outcome === 'gone') await ports.backorders.remove([entry]);
      else if (outcome === 'short' && freeUnits(await ports.stock.snapshot([sku]), sku) <= 0) return released;
    }
    if (!page.next) return released;
    after = page.next;
  }
}

/**
 * The workflow's backorder step: backorders the order, then runs the queue of any short SKU whose
 * stock is already back. Answers the step's result without the restocked list.
 */
export async function backorderAndKick(
  ports: ReleasePorts,
  orderId: string,
  ctx: StepContext,
): Promise<{ status: 'backordered'; lines: number } | { status: 'reserved' | 'cancelled' }> {
  const result = await backorder(ports, orderId, ctx);
  if (result.status !== 'backordered') return result;
  for (const sku of result.restocked) await retryBackorders(ports, sku, `kick:${orderId}`, ctx);
  return { status: result.status, lines: result.lines };
}

/** One backordered order, again: allocate what is short, reserve, and release when complete. */
export async function retryOrder(
  ports: ReleasePorts,
  orderId: string,
  ctx: StepContext,
): Promise<'released' | 'short' | 'gone' | 'held'> {
  const order = await ports.orders.load(orderId);
  if (!order || isCancelled(order) || order.status !== 'backordered') return 'gone';
  if (openHolds(order).length > 0) return 'held';
  const allocated = await allocate(ports, orderId, { skipIfNothing: true });
  if (allocated.status === 'cancelled') return 'gone';
  if (allocated.status === 'held') return 'held';
  if (allocated.status === 'nothing') return 'short';
  const reserved = await reserve(ports, orderId, ctx);
  if (reserved.status === 'cancelled') return 'gone';
  if (reserved.status === 'reserved') {
    const out = await release(ports, orderId, ctx);
    return out.status === 'released' ? 'released' : 'gone';
  }
  const still = await backorder(ports, orderId, ctx);
  return still.status === 'backordered' ? 'short' : 'gone';
}
