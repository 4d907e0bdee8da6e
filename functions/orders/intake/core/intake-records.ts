import type { FieldIssue } from '#shared/errors';
import type { IntakeFailureCode } from '../../errors.ts';
import type { StoredOrder } from '../../schemas/canonical-order.ts';
import type { ChannelType } from '../schemas/channel.ts';

/** What a delivery did to its order; kept on the order by delivery id (`StoredOrder.deliveries`). */
export type OrderOutcome = 'created' | 'updated' | 'cancelled';

export type ExceptionStatus = 'open' | 'resolved';

/**
 * A verified delivery that could not become an order, with everything needed to replay it.
 * Its id is derived from (channel, delivery id), so the exception item is also the dedupe
 * record of that delivery: a retried unmappable delivery lands on the same exception.
 */
export interface IntakeException {
  exceptionId: string;
  source: ChannelType;
  channelId?: string;
  /** The channel id, or a stand-in (`amazon:<sellerId>`) when the channel was not resolved. */
  channelKey: string;
  deliveryId: string;
  topic?: string;
  status: ExceptionStatus;
  code: IntakeFailureCode;
  message: string;
  issues: FieldIssue[];
  /** The body exactly as it was verified (UTF-8). */
  rawBody: string;
  receivedAt: string;
  attempts: number;
  lastAttemptAt: string;
  resolvedAt?: string;
  resolution?: { outcome: OrderOutcome | 'ignored' | 'forwarded'; orderId?: string; reason?: string };
}

/** Where an exception's raw body is kept: on the item, gzipped on it, in S3, or cut (too large, no bucket). */
export type BodyStorage = 'inline' | 'gzip' | 's3' | 'truncated';

/**
 * An exception as the list shows it: everything but the raw body and the issue details, so a
 * page stays small whatever the deliveries weighed (Lambda answers at most 6 MB). The body and
 * issues come with the single exception (`GET /api/intake/exceptions/{id}`).
 */
export interface IntakeExceptionSummary extends Omit<IntakeException, 'rawBody' | 'issues'> {
  /** `code: message` in one line. */
  reason: string;
  issueCount: number;
  /** Size of the raw body in bytes (absent on exceptions stored before it was recorded). */
  bodyBytes?: number;
  bodyStorage: BodyStorage;
}

/**
 * Persistence port of intake. A new order is one conditional write on the order item; a
 * change to a known order is one read and one conditional write. See adapters/intake-store.ts.
 */
export interface IntakeStore {
  /** Consistent read of the order. */
  loadOrder(orderId: string): Promise<StoredOrder | undefined>;
  /** Only if no order has this id; otherwise answers the order that exists. */
  createOrder(order: StoredOrder): Promise<{ ok: true } | { ok: false; existing?: StoredOrder }>;
  /**
   * Sets `set` (undefined values are removed) and records `deliveries[deliveryId] = outcome`,
   * only if the order's sourceUpdatedAt is still `expected` and the delivery is not recorded.
   * `conflict`: either changed since it was read; read again.
   */
  updateOrder(
    orderId: string,
    set: Partial<StoredOrder>,
    expectedSourceUpdatedAt: string,
    delivery: { id: string; outcome: OrderOutcome },
  ): Promise<'ok' | 'conflict'>;
  /** Only if no exception has this id; otherwise answers the existing one. */
  createException(
    exception: IntakeException,
  ): Promise<{ created: true } | { created: false; existing: IntakeException }>;
  /** Marks an open exception resolved (no-op when a concurrent replay already did). */
  resolveException(
    exceptionId: string,
    resolution: NonNullable<IntakeException['resolution']>,
    at: string,
  ): Promise<void>;
  /** A replay that failed again: new reason, one more attempt; the exception stays open. */
  recordReplayFailure(
    exceptionId: string,
    failure: { code: IntakeFailureCode; message: string; issues: FieldIssue[] },
    at: string,
  ): Promise<void>;
}
