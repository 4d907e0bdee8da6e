import { abcClassMap, allSuppliers, incomingFor } from '#inbound/api';
import { routableStock } from '#inventory/api';
import { eventBridgePublisher } from '#shared/events';
import type { PlanningPorts } from '../core/ports.ts';
import type { Arrival } from '../core/replenishment.ts';
import { dynamoPlanningStore } from './planning-store.ts';

/** SKUs asked of another context at once. */
const CHUNK = 50;

async function chunked(skus: readonly string[], fn: (chunk: string[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < skus.length; i += CHUNK) await fn(skus.slice(i, i + CHUNK));
}

/** Planning's ports: its own items, inbound's suppliers, classes and arrivals, inventory's stock, the bus. */
export function planningPorts(): PlanningPorts {
  return {
    store: dynamoPlanningStore(),
    async suppliers() {
      return new Map(
        (await allSuppliers()).map((s) => [
          s.supplierId,
          { leadTimeDays: s.leadTimeDays, moq: s.moq, casePack: s.casePack },
        ]),
      );
    },
    abcClasses: () => abcClassMap(),
    async onHand(skus) {
      const out = new Map<string, Map<string, number>>();
      await chunked(skus, async (chunk) => {
        for (const [sku, byLocation] of await routableStock(chunk)) {
          out.set(sku, new Map([...byLocation].map(([loc, s]) => [loc, s.available])));
        }
      });
      return out;
    },
    async arrivals(skus) {
      const out = new Map<string, Map<string, Arrival[]>>();
      await chunked(skus, async (chunk) => {
        await Promise.all(
          chunk.map(async (sku) => {
            const byLocation = new Map<string, Arrival[]>();
            for (const at of await incomingFor(sku)) {
              byLocation.set(at.locationId, [
                ...at.purchaseOrders.map((p) => ({ date: p.expectedAt, quantity: p.quantity })),
                ...(at.transfers ?? []).map((t) => ({ date: t.expectedAt, quantity: t.quantity })),
              ]);
            }
            out.set(sku, byLocation);
          }),
        );
      });
      return out;
    },
    events: eventBridgePublisher(),
    clock: () => new Date(),
  };
}
