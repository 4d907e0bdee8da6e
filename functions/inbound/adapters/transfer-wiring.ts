import { catalogReader } from '#catalog/api';
import { changeInTransit, locationOf, receiveGoods, reservationOf, reservationTask } from '#inventory/api';
import { eventBridgePublisher } from '#shared/events';
import type { StockAnswer, TransferPorts } from '../core/transfers.ts';
import { dynamoTransferStore } from './transfer-store.ts';

/** A reservation task's answer as shipping reads it: anything but a held or closed reservation is a refusal. */
function answer(out: Awaited<ReturnType<typeof reservationTask>>): StockAnswer {
  if (out.status === 'insufficient')
    return {
      status: 'refused',
      code: 'INSUFFICIENT_STOCK',
      message: 'the source lacks available units',
      details: out.shortages,
    };
  if (out.status === 'error') return { status: 'refused', code: out.code, message: out.message };
  return { status: 'ok' };
}

/** Transfers' ports: their items, the catalog, and inventory's reservation, in-transit and goods-in. */
export function transferPorts(): TransferPorts {
  const catalog = catalogReader();
  return {
    transfers: dynamoTransferStore(),
    catalog: {
      async kinds(skus) {
        const found = await catalog.getMany(skus);
        return new Map([...found].map(([sku, def]) => [sku, def.kit?.components.length ? 'kit' : 'item']));
      },
    },
    locations: { exists: async (locationId) => Boolean(await locationOf(locationId)) },
    inventory: {
      reservation: async (id) => (await reservationOf(id))?.status,
      reserve: async (reservationId, lines, who) =>
        answer(
          await reservationTask({
            action: 'reserve',
            reservationId,
            lines,
            correlationId: who.correlationId,
          }),
        ),
      consume: async (reservationId, reason, who) => {
        const out = await reservationTask({
          action: 'consume',
          reservationId,
          reason,
          correlationId: who.correlationId,
        });
        // Closed otherwise (released, expired) is not shipped: a refusal the caller reports.
        if (out.status === 'consumed' || out.status === 'insufficient' || out.status === 'error')
          return answer(out);
        return {
          status: 'refused',
          code: 'RESERVATION_NOT_OPEN',
          message: `the reservation is ${out.status}`,
        };
      },
      async release(reservationId, reason, who) {
        await reservationTask({ action: 'release', reservationId, reason, correlationId: who.correlationId });
      },
      async changeInTransit(cmd, who) {
        await changeInTransit(cmd, who);
      },
      async receive(cmd, who) {
        await receiveGoods({ ...cmd, bucket: 'available' }, who);
      },
    },
    events: eventBridgePublisher(),
    clock: () => new Date(),
  };
}
