import { ChannelRefundPosted } from '../../functions/connectors/events/refund-posted.ts';
import {
  ChannelRefundCreated,
  ChannelReturnRequested,
} from '../../functions/orders/events/channel-returns.ts';
import type { ContextManifest, Role } from './types.ts';

/** Customer service takes return requests; supervisors approve beyond policy (checked in the use case). */
const REQUESTERS: readonly Role[] = ['admin', 'supervisor', 'customer-service'];
/** The dock receives returned parcels. */
const DOCK: readonly Role[] = ['admin', 'supervisor', 'warehouse-associate'];
/** Inspection decides the units' fate: the floor and inventory control. */
const INSPECTORS: readonly Role[] = ['admin', 'supervisor', 'warehouse-associate', 'inventory-controller'];
/** The channel's refund outcome by hand: finance (the connectors answer through the bus, ChannelRefundPosted). */
const REFUNDERS: readonly Role[] = ['admin', 'supervisor', 'finance'];
/** A failed refund may be retried by those who answer the customer and those who keep the books. */
const REFUND_RETRIERS: readonly Role[] = ['admin', 'supervisor', 'finance', 'customer-service'];
/** Policy: who decides windows, reason codes and the threshold. */
const POLICY: readonly Role[] = ['admin', 'supervisor'];
/** Everyone reads returns: service answers customers, the dock finds RMAs, finance follows refunds. */
const READERS: readonly Role[] = [
  'admin',
  'supervisor',
  'inventory-controller',
  'warehouse-associate',
  'customer-service',
  'finance',
];

/** Returns: RMAs, receipt at the dock, inspection and disposition, refund status; the returns workflow. */
export const returns: ContextManifest = {
  functions: {
    createReturn: {
      entry: 'functions/returns/handlers/create-return.ts',
      description: 'POST /api/returns: an RMA checked against shipped lines, window, reasons, threshold',
      table: 'RW',
      startsWorkflows: ['returns'],
    },
    approveReturn: {
      entry: 'functions/returns/handlers/approve-return.ts',
      description: 'POST /api/returns/{id}/approve: approve (a supervisor beyond policy), start the workflow',
      table: 'RW',
      startsWorkflows: ['returns'],
    },
    rejectReturn: {
      entry: 'functions/returns/handlers/reject-return.ts',
      description: 'POST /api/returns/{id}/reject: reject with a reason; its units count no more',
      table: 'RW',
    },
    receiveReturn: {
      entry: 'functions/returns/handlers/receive-return.ts',
      description: 'POST /api/returns/{id}/receipts: units into returnedPending, ReturnReceived',
      table: 'RW',
      publishes: true,
      completesTasks: true,
    },
    inspectReturn: {
      entry: 'functions/returns/handlers/inspect-return.ts',
      description: 'POST /api/returns/{id}/inspections: a disposition per unit, ReturnDispositioned',
      table: 'RW',
      publishes: true,
      completesTasks: true,
    },
    recordRefund: {
      entry: 'functions/returns/handlers/record-refund.ts',
      description:
        'POST /api/returns/{id}/refund: the channel refund issued or failed, RefundIssued/RefundFailed',
      table: 'RW',
      publishes: true,
      completesTasks: true,
    },
    retryRefund: {
      entry: 'functions/returns/handlers/retry-refund.ts',
      description: 'POST /api/returns/{id}/refund/retry: a failed refund requested again, RefundRequested',
      table: 'RW',
      publishes: true,
    },
    getReturn: {
      entry: 'functions/returns/handlers/get-return.ts',
      description: 'GET /api/returns/{id}: lines with received units and dispositions, refund, timeline',
      table: 'R',
    },
    listReturns: {
      entry: 'functions/returns/handlers/list-returns.ts',
      description: 'GET /api/returns?status=&orderId=: returns newest first',
      table: 'R',
    },
    putReturnSettings: {
      entry: 'functions/returns/handlers/put-settings.ts',
      description: 'PUT /api/return-settings: reason codes, window per channel, approval threshold',
      table: 'RW',
    },
    getReturnSettings: {
      entry: 'functions/returns/handlers/get-settings.ts',
      description: 'GET /api/return-settings (defaults filled in)',
      table: 'R',
    },
    onChannelReturnEvent: {
      entry: 'functions/returns/handlers/on-channel-event.ts',
      description:
        'Channel returns and refunds (ChannelReturnRequested, ChannelRefundCreated) and refunds posted (ChannelRefundPosted) → RMAs, refund status',
      table: 'RW',
      publishes: true,
      startsWorkflows: ['returns'],
      completesTasks: true,
    },
    returnsTask: {
      entry: 'functions/returns/handlers/returns-task.ts',
      description:
        'The returns workflow’s steps: park on a phase’s task token, place an exchange, request the refund, complete',
      table: 'RW',
      publishes: true,
      completesTasks: true,
    },
  },
  routes: [
    { method: 'POST', path: '/api/returns', fn: 'createReturn', auth: { roles: REQUESTERS } },
    { method: 'GET', path: '/api/returns', fn: 'listReturns', auth: { roles: READERS } },
    { method: 'GET', path: '/api/returns/{id}', fn: 'getReturn', auth: { roles: READERS } },
    { method: 'POST', path: '/api/returns/{id}/approve', fn: 'approveReturn', auth: { roles: REQUESTERS } },
    { method: 'POST', path: '/api/returns/{id}/reject', fn: 'rejectReturn', auth: { roles: REQUESTERS } },
    { method: 'POST', path: '/api/returns/{id}/receipts', fn: 'receiveReturn', auth: { roles: DOCK } },
    {
      method: 'POST',
      path: '/api/returns/{id}/inspections',
      fn: 'inspectReturn',
      auth: { roles: INSPECTORS },
    },
    { method: 'POST', path: '/api/returns/{id}/refund', fn: 'recordRefund', auth: { roles: REFUNDERS } },
    {
      method: 'POST',
      path: '/api/returns/{id}/refund/retry',
      fn: 'retryRefund',
      auth: { roles: REFUND_RETRIERS },
    },
    { method: 'PUT', path: '/api/return-settings', fn: 'putReturnSettings', auth: { roles: POLICY } },
    { method: 'GET', path: '/api/return-settings', fn: 'getReturnSettings', auth: { roles: READERS } },
  ],
  rules: [
    {
      name: 'returns-channel-events',
      description:
        'Returns asked for and refunds made at the channel, and the channel’s answer to a refund we posted',
      // Detail types are unique across sources, so the cross product matches exactly these events.
      pattern: {
        source: [ChannelReturnRequested.source, ChannelRefundPosted.source],
        'detail-type': [
          ChannelReturnRequested.detailType,
          ChannelRefundCreated.detailType,
          ChannelRefundPosted.detailType,
        ],
      },
      target: { fn: 'onChannelReturnEvent' },
    },
  ],
  stateMachines: [
    {
      name: 'returns',
      description:
        'approved → await receipt → await inspection → refund requested → await refund issued → completed',
      functions: { ReturnsTaskFunctionArn: 'returnsTask' },
    },
  ],
};
