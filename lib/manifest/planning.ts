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

/** The events planning learns demand and supplier behaviour from (adapters/inputs.ts handles these). */
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
  // Two functions, not one per route: the stateless root stack is near its output limit
  // (one output per function; docs/decisions.md, 2026-12-05).
  functions: {
    planningApi: {
      entry: 'functions/planning/handlers/planning-api.ts',
      description:
        'Planning routes: demand-history upload and read, runs, forecasts, suggestions, supplier performance, settings, events',
      table: 'RW',
      publishes: true,
      timeoutSeconds: 60,
    },
    planningWorker: {
      entry: 'functions/planning/handlers/planning-worker.ts',
      urgency: 'bookkeeping',
      description:
        'PlanningRunRequested → forecasts, backtest, suggestions, StockoutRiskChanged; shipments, backorders, PO events → history and supplier figures',
      table: 'RW',
      publishes: true,
      timeoutSeconds: 900,
      memoryMb: 1024,
    },
  },
  routes: [
    {
      method: 'POST',
      path: '/api/planning/demand-history',
      fn: 'planningApi',
      auth: { roles: PLANNERS },
    },
    { method: 'POST', path: '/api/planning/runs', fn: 'planningApi', auth: { roles: PLANNERS } },
    { method: 'GET', path: '/api/planning/runs', fn: 'planningApi', auth: { roles: READERS } },
    { method: 'GET', path: '/api/planning/runs/{runId}', fn: 'planningApi', auth: { roles: READERS } },
    { method: 'GET', path: '/api/planning/forecasts/{sku}', fn: 'planningApi', auth: { roles: READERS } },
    { method: 'GET', path: '/api/planning/suggestions', fn: 'planningApi', auth: { roles: READERS } },
    { method: 'GET', path: '/api/planning/suppliers', fn: 'planningApi', auth: { roles: READERS } },
    { method: 'GET', path: '/api/planning/settings', fn: 'planningApi', auth: { roles: READERS } },
    { method: 'GET', path: '/api/planning/events', fn: 'planningApi', auth: { roles: READERS } },
    { method: 'GET', path: '/api/planning/demand-history', fn: 'planningApi', auth: { roles: READERS } },
    { method: 'PUT', path: '/api/planning/settings', fn: 'planningApi', auth: { roles: PLANNERS } },
    { method: 'PUT', path: '/api/planning/events', fn: 'planningApi', auth: { roles: PLANNERS } },
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
      target: { fn: 'planningWorker' },
    },
    {
      name: 'planning-runs',
      description: 'A requested planning run forecasts and suggests',
      pattern: { source: [PlanningRunRequested.source], 'detail-type': [PlanningRunRequested.detailType] },
      target: { fn: 'planningWorker' },
    },
  ],
};
