import { defineEvent } from '#shared/events';
import { releasedShipment } from './release-payloads.ts';

/** Released to a 3PL node: the 3PL hand-off sends it to the provider. One per node. */
export const ThreePLOrderRequested = defineEvent({
  source: 'qm.orders',
  detailType: 'ThreePLOrderRequested',
  version: 1,
  data: releasedShipment,
});
