/**
 * Fulfillment's front door: the events and types other contexts, the deployer and the console
 * may use. Nothing else under `functions/fulfillment/` is imported from outside it.
 */
export { CutoffAtRisk } from './events/cutoff-at-risk.ts';
export { FulfillmentPacked } from './events/fulfillment-packed.ts';
export { PickShorted } from './events/pick-shorted.ts';
export { ShipmentConfirmed } from './events/shipment-confirmed.ts';
export { WaveReleased } from './events/wave-released.ts';
export type {
  BinType,
  Carrier,
  CarrierBody,
  Fulfillment,
  FulfillmentLine,
  FulfillmentStatus,
  PickTask,
  Wave,
} from './schemas/fulfillment.ts';
