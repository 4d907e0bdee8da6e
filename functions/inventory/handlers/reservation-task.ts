import { inventoryPorts } from '../adapters/wiring.ts';
import { runReservationTask } from '../core/reservation-task.ts';

const ports = inventoryPorts();

/** Workflow task (order-release, fulfillment): reserve, release or consume; see runReservationTask. */
export const handler = (raw: unknown) => runReservationTask(ports, raw);
