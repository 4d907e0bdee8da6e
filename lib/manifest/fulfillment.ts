import { OrderCancelled } from '../../functions/orders/events/order-cancelled.ts';
import { OrderReleaseCancelled } from '../../functions/orders/events/order-release-cancelled.ts';
import { OrderReleased } from '../../functions/orders/events/order-released.ts';
import type { ContextManifest, Role } from './types.ts';

/** Plan waves, set carriers and bins: people who run the floor. */
const PLANNERS: readonly Role[] = ['admin', 'supervisor'];
/** Pick and pack: the floor itself, and those who cover for it. */
const FLOOR: readonly Role[] = ['admin', 'supervisor', 'warehouse-associate'];
/** Everyone but finance reads fulfillment. */
const READERS: readonly Role[] = [
  'admin',
  'supervisor',
  'inventory-controller',
  'warehouse-associate',
  'customer-service',
];

/** Fulfillment: carriers and cutoffs, waves, scan-verified pick and pack, ship confirmation. */
export const fulfillment: ContextManifest = {
  functions: {
    putCarrier: {
      entry: 'functions/fulfillment/handlers/put-carrier.ts',
      description:
        'PUT /api/carriers/{carrierId}: carrier services, their service levels and cutoffs per location',
      table: 'RW',
    },
    listCarriers: {
      entry: 'functions/fulfillment/handlers/list-carriers.ts',
      description: 'GET /api/carriers: every carrier with its services and cutoffs',
      table: 'R',
    },
    putFulfillmentSettings: {
      entry: 'functions/fulfillment/handlers/put-settings.ts',
      description:
        'PUT /api/fulfillment-settings/{locationId}: wave schedule, pick rate and task claim timeout',
      table: 'RW',
    },
    getFulfillmentSettings: {
      entry: 'functions/fulfillment/handlers/get-settings.ts',
      description: 'GET /api/fulfillment-settings/{locationId}: the location’s settings (defaults filled in)',
      table: 'R',
    },
    onOrderReleased: {
      entry: 'functions/fulfillment/handlers/on-order-released.ts',
      description:
        'OrderReleased to our own node: one fulfillment per order × node, its cutoff, its workflow',
      table: 'RW',
      publishes: true,
      startsWorkflows: ['fulfillment'],
    },
    planWave: {
      entry: 'functions/fulfillment/handlers/plan-wave.ts',
      description: 'POST /api/waves: plan the next wave at a location (earliest cutoff first, at-risk first)',
      table: 'RW',
      publishes: true,
      completesTasks: true,
    },
    planScheduledWaves: {
      entry: 'functions/fulfillment/handlers/plan-scheduled-waves.ts',
      description: 'Scheduled: plans waves where the location’s settings ask for it; rolls missed cutoffs',
      table: 'RW',
      publishes: true,
      completesTasks: true,
      timeoutSeconds: 120,
    },
    listWaves: {
      entry: 'functions/fulfillment/handlers/list-waves.ts',
      description: 'GET /api/waves: waves of a location, newest first',
      table: 'R',
    },
    getWave: {
      entry: 'functions/fulfillment/handlers/get-wave.ts',
      description: 'GET /api/waves/{waveId}: a wave with its pick tasks in walk order',
      table: 'R',
    },
    nextPickTask: {
      entry: 'functions/fulfillment/handlers/next-pick-task.ts',
      description: 'GET /api/pick-tasks/next: claims the caller’s next open task of a wave',
      table: 'RW',
    },
    pickScan: {
      entry: 'functions/fulfillment/handlers/pick-scan.ts',
      description:
        'POST /api/pick-tasks/{taskId}/scans: bin first, then units; wrong bin/item and over-pick refused',
      table: 'RW',
      publishes: true,
      completesTasks: true,
    },
    shortPick: {
      entry: 'functions/fulfillment/handlers/short-pick.ts',
      description:
        'POST /api/pick-tasks/{taskId}/short: write off missing units, send the short part back to release',
      table: 'RW',
      publishes: true,
      completesTasks: true,
    },
    listFulfillments: {
      entry: 'functions/fulfillment/handlers/list-fulfillments.ts',
      description: 'GET /api/fulfillments: by order, or by location and status',
      table: 'R',
    },
    getFulfillment: {
      entry: 'functions/fulfillment/handlers/get-fulfillment.ts',
      description: 'GET /api/fulfillments/{id}: lines with picked and packed units, packages, shipment',
      table: 'R',
    },
    packScan: {
      entry: 'functions/fulfillment/handlers/pack-scan.ts',
      description: 'POST /api/fulfillments/{id}/pack-scans: one unit into the parcel; wrong or extra refused',
      table: 'RW',
    },
    putPackages: {
      entry: 'functions/fulfillment/handlers/put-packages.ts',
      description:
        'POST /api/fulfillments/{id}/packages: weights and dimensions; refused until every unit is scanned',
      table: 'RW',
      publishes: true,
      completesTasks: true,
    },
    shipFulfillment: {
      entry: 'functions/fulfillment/handlers/ship-fulfillment.ts',
      description: 'POST /api/fulfillments/{id}/ship: consume the reservation, ShipmentConfirmed',
      table: 'RW',
      publishes: true,
      completesTasks: true,
    },
    fulfillmentTask: {
      entry: 'functions/fulfillment/handlers/fulfillment-task.ts',
      description:
        'The fulfillment workflow’s steps: park on a phase’s task token, raise an exception, cancel',
      table: 'RW',
      publishes: true,
      completesTasks: true,
    },
    onOrderCancelledFulfillment: {
      entry: 'functions/fulfillment/handlers/on-order-cancelled.ts',
      description: 'A cancelled order before shipping: picked units back to their bins, the workflow ends',
      table: 'RW',
      publishes: true,
      completesTasks: true,
    },
  },
  routes: [
    { method: 'PUT', path: '/api/carriers/{carrierId}', fn: 'putCarrier', auth: { roles: PLANNERS } },
    { method: 'GET', path: '/api/carriers', fn: 'listCarriers', auth: { roles: READERS } },
    {
      method: 'PUT',
      path: '/api/fulfillment-settings/{locationId}',
      fn: 'putFulfillmentSettings',
      auth: { roles: PLANNERS },
    },
    {
      method: 'GET',
      path: '/api/fulfillment-settings/{locationId}',
      fn: 'getFulfillmentSettings',
      auth: { roles: READERS },
    },
    { method: 'POST', path: '/api/waves', fn: 'planWave', auth: { roles: PLANNERS } },
    { method: 'GET', path: '/api/waves', fn: 'listWaves', auth: { roles: READERS } },
    { method: 'GET', path: '/api/waves/{waveId}', fn: 'getWave', auth: { roles: READERS } },
    { method: 'GET', path: '/api/pick-tasks/next', fn: 'nextPickTask', auth: { roles: FLOOR } },
    { method: 'POST', path: '/api/pick-tasks/{taskId}/scans', fn: 'pickScan', auth: { roles: FLOOR } },
    { method: 'POST', path: '/api/pick-tasks/{taskId}/short', fn: 'shortPick', auth: { roles: FLOOR } },
    { method: 'GET', path: '/api/fulfillments', fn: 'listFulfillments', auth: { roles: READERS } },
    { method: 'GET', path: '/api/fulfillments/{id}', fn: 'getFulfillment', auth: { roles: READERS } },
    { method: 'POST', path: '/api/fulfillments/{id}/pack-scans', fn: 'packScan', auth: { roles: FLOOR } },
    { method: 'POST', path: '/api/fulfillments/{id}/packages', fn: 'putPackages', auth: { roles: FLOOR } },
    { method: 'POST', path: '/api/fulfillments/{id}/ship', fn: 'shipFulfillment', auth: { roles: FLOOR } },
  ],
  rules: [
    {
      name: 'fulfillment-order-released',
      description: 'Each order released to one of our own nodes becomes a fulfillment',
      pattern: { source: [OrderReleased.source], 'detail-type': [OrderReleased.detailType] },
      target: { fn: 'onOrderReleased' },
    },
    {
      name: 'fulfillment-order-cancelled',
      description:
        'A cancelled order stops its fulfillments before they ship (channel cancels: OrderCancelled; ops cancels: OrderReleaseCancelled only)',
      pattern: {
        source: [OrderCancelled.source],
        'detail-type': [OrderCancelled.detailType, OrderReleaseCancelled.detailType],
      },
      target: { fn: 'onOrderCancelledFulfillment' },
    },
  ],
  stateMachines: [
    {
      name: 'fulfillment',
      description:
        'waved → pick → pack → ship (each parked on a task token) → confirmed; timeouts to an exception',
      functions: { FulfillmentTaskFunctionArn: 'fulfillmentTask' },
    },
  ],
  schedules: [
    {
      name: 'fulfillment-wave-planner',
      description: 'Plans waves at locations whose settings ask for scheduled waves; rolls missed cutoffs',
      expression: 'rate(5 minutes)',
      fn: 'planScheduledWaves',
    },
  ],
};
