/**
 * The returns context's front door: the events and types other contexts (finance, connectors),
 * the deployer and the console may use. Nothing else under `functions/returns/` is imported from
 * outside it; other contexts never read or write returns' items.
 */
export type { ReturnView } from './core/returns.ts';
export { RefundFailed } from './events/refund-failed.ts';
export { RefundIssued } from './events/refund-issued.ts';
export { RefundRequested } from './events/refund-requested.ts';
export { ReturnDispositioned } from './events/return-dispositioned.ts';
export { ReturnReceived } from './events/return-received.ts';
export type { Disposition, RefundStatus, ReturnSettings, ReturnStatus } from './schemas/returns.ts';
