import { ChannelRefundPosted } from '#connectors/api';
import { ChannelRefundCreated, ChannelReturnRequested } from '#orders/api';
import { eventHandler } from '#shared/event-handler';
import { logger } from '#shared/powertools';
import { returnPorts } from '../adapters/wiring.ts';
import { type ChannelOutcome, refundFromChannel, refundPosted, requestFromChannel } from '../core/channel.ts';

const ports = returnPorts();

/**
 * The channel's side of returns, from the bus: a return asked for at the channel
 * (ChannelReturnRequested) becomes an RMA, a refund the channel recorded (ChannelRefundCreated)
 * is issued on its return, and the connectors' answer to a refund we posted (ChannelRefundPosted)
 * is recorded. Once per event; a request the checks refuse is logged, not retried.
 */
export const handler = eventHandler('returns-on-channel-event', async (event) => {
  const correlationId = event.detail.metadata.correlationId;
  let outcome: ChannelOutcome;
  switch (event['detail-type']) {
    case ChannelReturnRequested.detailType:
      outcome = await requestFromChannel(
        ports,
        ChannelReturnRequested.data.parse(event.detail.data),
        correlationId,
      );
      break;
    case ChannelRefundCreated.detailType:
      outcome = await refundFromChannel(
        ports,
        ChannelRefundCreated.data.parse(event.detail.data),
        correlationId,
      );
      break;
    case ChannelRefundPosted.detailType:
      outcome = await refundPosted(ports, ChannelRefundPosted.data.parse(event.detail.data), correlationId);
      break;
    default:
      return;
  }
  if (!outcome.applied)
    logger.warn('Channel return event not applied', { detailType: event['detail-type'], ...outcome });
});
