import { ShipmentConfirmed } from '../../functions/fulfillment/events/shipment-confirmed.ts';
import { GoodsReceived } from '../../functions/inbound/events/goods-received.ts';
import { PurchaseOrderCancelled } from '../../functions/inbound/events/purchase-order-cancelled.ts';
import { PurchaseOrderPlaced } from '../../functions/inbound/events/purchase-order-placed.ts';
import { ReceivingExceptionRaised } from '../../functions/inbound/events/receiving-exception-raised.ts';
import { OrderBackordered } from '../../functions/orders/events/order-backordered.ts';
import { OrderCancelled } from '../../functions/orders/events/order-cancelled.ts';
import { OrderReleased } from '../../functions/orders/events/order-released.ts';
import { PlanningRunRequested } from '../../functions/planning/events/planning-run-requested.ts';
import type { ContextManifest, Role } from './types.ts';

/** Planners buy and move stock: the buyers of inbound (there is no planner role; inventory controllers buy). */
const PLANNERS: readonly Role[] = ['admin', 'inventory-controller'];
/** Forecasts, suggestions and supplier figures are read by those who plan, run the floor, or value stock. */
const READERS: readonly Role[] = ['admin', 'inventory-controller', 'supervisor', 'finance'];

/** The events planning learns demand and supplier behaviour from (on-planning-event.ts handles these). */
const INPUTS = [
  ShipmentConfirmed,
  OrderBackordered,
  OrderReleased,
  OrderCancelled,
  PurchaseOrderPlaced,
  GoodsReceived,
  ReceivingExceptionRaised,
  PurchaseOrderCancelled,
];

/** Planning: demand history, forecasts and their backtest, reorder points, PO and transfer suggestions. */
export const planning: ContextManifest = {
  functions: {
    uploadDemandHistory: {
      entry: 'functions/planning/handlers/upload-demand-history.ts',
      description: 'POST /api/planning/demand-history (text/csv): past daily demand, set per day',
      table: 'RW',
      timeoutSeconds: 60,
    },
    requestPlanningRun: {
      entry: 'functions/planning/handlers/request-run.ts',
      description: 'POST /api/planning/runs: 202 { runId }, PlanningRunRequested',
      table: 'RW',
      publishes: true,
    },
    planningReads: {
      entry: 'functions/planning/handlers/planning-reads.ts',
      description: 'GET planning runs, forecasts, suggestions, supplier performance, settings and events',
      table: 'R',
    },
    putPlanningSettings: {
      entry: 'functions/planning/handlers/put-planning-settings.ts',
      description: 'PUT /api/planning/settings and /api/planning/events (promotions excluded from history)',
      table: 'RW',
    },
    runPlanning: {
      entry: 'functions/planning/handlers/run-planning.ts',
      description: 'PlanningRunRequested → forecasts, backtest, suggestions, StockoutRiskChanged',
      table: 'RW',
      publishes: true,
      timeoutSeconds: 900,
      memoryMb: 1024,
    },
    onPlanningEvent: {
      entry: 'functions/planning/handlers/on-planning-event.ts',
      description: 'Shipments, backorders and PO events → demand history and supplier performance',
      table: 'RW',
    },
  },
  routes: [
    {
      method: 'POST',
      path: '/api/planning/demand-history',
      fn: 'uploadDemandHistory',
      auth: { roles: PLANNERS },
    },
    { method: 'POST', path: '/api/planning/runs', fn: 'requestPlanningRun', auth: { roles: PLANNERS } },
    { method: 'GET', path: '/api/planning/runs', fn: 'planningReads', auth: { roles: READERS } },
    { method: 'GET', path: '/api/planning/runs/{runId}', fn: 'planningReads', auth: { roles: READERS } },
    { method: 'GET', path: '/api/planning/forecasts/{sku}', fn: 'planningReads', auth: { roles: READERS } },
    { method: 'GET', path: '/api/planning/suggestions', fn: 'planningReads', auth: { roles: READERS } },
    { method: 'GET', path: '/api/planning/suppliers', fn: 'planningReads', auth: { roles: READERS } },
    { method: 'GET', path: '/api/planning/settings', fn: 'planningReads', auth: { roles: READERS } },
    { method: 'GET', path: '/api/planning/events', fn: 'planningReads', auth: { roles: READERS } },
    { method: 'GET', path: '/api/planning/demand-history', fn: 'planningReads', auth: { roles: READERS } },
    { method: 'PUT', path: '/api/planning/settings', fn: 'putPlanningSettings', auth: { roles: PLANNERS } },
    { method: 'PUT', path: '/api/planning/events', fn: 'putPlanningSettings', auth: { roles: PLANNERS } },
  ],
  rules: [
    {
      name: 'planning-inputs',
      description: 'Shipments, backorders and purchase-order events feed demand history and supplier figures',
      // Detail types are unique across sources, so the cross product matches exactly these events.
      pattern: {
        source: [...new Set(INPUTS.map((e) => e.source))],
        'detail-type': INPUTS.map((e) => e.detailType),
      },
      target: { fn: 'onPlanningEvent' },
    },
    {
      name: 'planning-runs',
      description: 'A requested planning run forecasts and suggests',
      pattern: { source: [PlanningRunRequested.source], 'detail-type': [PlanningRunRequested.detailType] },
      target: { fn: 'runPlanning' },
    },
  ],
};
