/**
 * The connectors context's front door: the events and types other contexts, the deployer and the
 * console may use. Connectors keep channels (and later 3PLs) in step with our record: stock
 * pushes, shipment confirmations and refunds go out through here.
 */
export type { SyncFailure } from './core/ports.ts';
export type { SyncStatus } from './core/sync-status.ts';
export type {
  Reconciliation as ThreePLReconciliation,
  ThreePLOrder,
} from './core/threepl-ports.ts';
export { ChannelResyncRequested, ChannelSyncDegraded, ChannelSyncRecovered } from './events/channel-sync.ts';
export { ChannelRefundPosted } from './events/refund-posted.ts';
export {
  InventoryMismatchDetected as ThreePLInventoryMismatchDetected,
  ThreePLReconciliationApproved,
} from './events/threepl.ts';
