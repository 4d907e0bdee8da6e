import { IntakeExceptionNotFound, ReplayStillFailing } from '../../errors.ts';
import type { Channel } from '../schemas/channel.ts';
import type { IntakeException } from './intake-records.ts';
import { isReturnTopic } from './normalize/channel-returns.ts';
import { type IntakePorts, type IntakeResult, receiveDelivery } from './receive-delivery.ts';
import { receiveReturnDelivery } from './receive-return.ts';

export interface ReplayPorts extends IntakePorts {
  exceptions: {
    getException(id: string): Promise<(IntakeException & { rawBodyTruncated?: boolean }) | undefined>;
  };
  /** The channel the exception's delivery belongs to now (it may have been configured since). */
  channelFor(exception: IntakeException): Promise<Channel | undefined>;
}

/**
 * Runs a stored exception's raw body through intake again, after the cause was fixed (a
 * listing added, a SKU created, a channel configured). The signature was verified when the
 * delivery arrived; the body comes from our own store, so it is not verified again.
 * Exactly once: the order write is conditional on the order's identity and records the
 * delivery id, so a second or concurrent replay (or the sender's own retry) finds it there and
 * answers with the first outcome; the exception is then marked resolved (idempotently).
 */
export async function replayException(
  ports: ReplayPorts,
  exceptionId: string,
  correlationId: string,
): Promise<IntakeResult & { exceptionId: string }> {
  const exception = await ports.exceptions.getException(exceptionId);
  if (!exception) throw new IntakeExceptionNotFound(exceptionId);
  if (exception.status === 'resolved') {
    const r = exception.resolution ?? { outcome: 'ignored' as const };
    return {
      exceptionId,
      duplicate: true,
      outcome:
        r.outcome === 'ignored'
          ? {
              kind: 'ignored',
              reason: r.reason ?? 'already resolved',
              ...(r.orderId ? { orderId: r.orderId } : {}),
            }
          : r.outcome === 'forwarded'
            ? { kind: 'forwarded', orderId: r.orderId ?? '', to: 'returns' }
            : { kind: r.outcome, orderId: r.orderId ?? '', status: 'received' },
    };
  }
  if (exception.rawBodyTruncated) {
    const failure = {
      code: 'RAW_BODY_UNAVAILABLE' as const,
      message: 'The stored body was truncated (too large to keep); it cannot be replayed',
      issues: [],
    };
    await ports.store.recordReplayFailure(exceptionId, failure, ports.clock().toISOString());
    throw new ReplayStillFailing(exceptionId, failure.code, failure.message, failure.issues);
  }
  const channel = await ports.channelFor(exception);
  // A channel return or refund replays into returns, like it first went.
  const receive = isReturnTopic(exception.source, exception.topic) ? receiveReturnDelivery : receiveDelivery;
  const result = await receive(
    ports,
    {
      source: exception.source,
      channel,
      channelKey: exception.channelKey,
      deliveryId: exception.deliveryId,
      ...(exception.topic ? { topic: exception.topic } : {}),
      rawBody: exception.rawBody,
      receivedAt: exception.receivedAt,
    },
    { correlationId, replay: exception },
  );
  if (result.outcome.kind === 'exception') {
    throw new ReplayStillFailing(
      exceptionId,
      result.outcome.code,
      result.outcome.message,
      result.outcome.issues,
    );
  }
  return { ...result, exceptionId };
}
