import {
  ChannelSyncDegraded,
  ChannelSyncRecovered,
  ThreePLInventoryMismatchDetected,
  ThreePLReconciliationApproved,
} from '../../functions/connectors/api.ts';
import { CutoffAtRisk, PickShorted, ShipmentConfirmed } from '../../functions/fulfillment/api.ts';
import {
  CountSubmitted,
  CountVariancePosted,
  GoodsReceived,
  PutawayCompleted,
} from '../../functions/inbound/api.ts';
import { StockAdjusted } from '../../functions/inventory/api.ts';
import {
  OrderBackordered,
  OrderCancelled,
  OrderReceived,
  OrderReleased,
} from '../../functions/orders/api.ts';
import { StockoutRiskChanged } from '../../functions/planning/api.ts';
import { ReturnReceived } from '../../functions/returns/api.ts';
import type { EventDefinition } from '../../functions/shared/events.ts';
import type { ContextManifest, Role } from './types.ts';

/** Who reads the business's figures. */
const KPI_READERS: readonly Role[] = ['admin', 'supervisor', 'finance', 'inventory-controller'];
/** Whoever resolves an alert's cause sees the inbox. */
const ALERT_READERS: readonly Role[] = ['admin', 'supervisor', 'inventory-controller', 'customer-service'];
const ALERT_HANDLERS: readonly Role[] = ['admin', 'supervisor', 'inventory-controller'];
const ALERT_SETTERS: readonly Role[] = ['admin', 'supervisor'];

// biome-ignore lint/suspicious/noExplicitAny: any event's definition, only its names are read
const patternOf = (events: readonly EventDefinition<any>[]) => ({
  source: [...new Set(events.map((e) => e.source))].sort(),
  'detail-type': [...new Set(events.map((e) => e.detailType))].sort(),
});

/** Oversight: KPIs per day and location from the events, and exception alerts. */
export const oversight: ContextManifest = {
  functions: {
    // One function for all routes: each function costs an output of the stateless stack, which is
    // close to CloudFormation's 200 (docs/decisions.md).
    oversightApi: {
      entry: 'functions/oversight/handlers/http.ts',
      description:
        'GET /api/kpis, GET /api/alerts, POST /api/alerts/{alertId}/acknowledge, GET/PUT /api/alerts/settings',
      table: 'RW',
    },
    // Events (KPIs and alerts) and the sweep in one function, for the same reason.
    oversightWorker: {
      entry: 'functions/oversight/handlers/worker.ts',
      urgency: 'bookkeeping',
      description:
        'Events → KPI counters per day and location, AlertRaised / AlertCleared; schedule: the alert sweep and on-hand units',
      table: 'RW',
      publishes: true,
      timeoutSeconds: 120,
    },
  },
  routes: [
    { method: 'GET', path: '/api/kpis', fn: 'oversightApi', auth: { roles: KPI_READERS } },
    { method: 'GET', path: '/api/alerts', fn: 'oversightApi', auth: { roles: ALERT_READERS } },
    {
      method: 'POST',
      path: '/api/alerts/{alertId}/acknowledge',
      fn: 'oversightApi',
      auth: { roles: ALERT_HANDLERS },
    },
    { method: 'GET', path: '/api/alerts/settings', fn: 'oversightApi', auth: { roles: ALERT_READERS } },
    { method: 'PUT', path: '/api/alerts/settings', fn: 'oversightApi', auth: { roles: ALERT_SETTERS } },
  ],
  rules: [
    {
      name: 'oversight-events',
      // Sources × detail types: inventory's own InventoryMismatchDetected (the invariant checker)
      // matches too; the worker ignores it (it acts on the 3PL one, source qm.connectors).
      description: 'The events KPIs are projected from and those that start or end an alert’s cause',
      pattern: patternOf([
        OrderReceived,
        OrderReleased,
        OrderBackordered,
        OrderCancelled,
        ShipmentConfirmed,
        PickShorted,
        CutoffAtRisk,
        PutawayCompleted,
        GoodsReceived,
        CountSubmitted,
        CountVariancePosted,
        StockAdjusted,
        ReturnReceived,
        ChannelSyncDegraded,
        ChannelSyncRecovered,
        StockoutRiskChanged,
        ThreePLInventoryMismatchDetected,
        ThreePLReconciliationApproved,
      ]),
      target: { fn: 'oversightWorker' },
    },
  ],
  schedules: [
    {
      name: 'oversight-sweep',
      description:
        'Alerts whose cause is a state (aging backorders, piling exceptions); on-hand units for turns',
      expression: 'rate(15 minutes)',
      fn: 'oversightWorker',
    },
  ],
};
