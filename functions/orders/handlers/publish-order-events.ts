import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { DomainEvent } from '#shared/events';
import { withoutKeys } from '#shared/table';
import { orderPorts } from '../adapters/wiring.ts';
import { outboxEvent } from '../core/order-events.ts';
import { ordersKeys } from '../keys.ts';
import type { StoredOrder } from '../schemas/canonical-order.ts';

const { events } = orderPorts();

type Image = Record<string, AttributeValue> | undefined;
const orderOf = (image: Image): StoredOrder | undefined =>
  image ? (withoutKeys(unmarshall(image)) as unknown as StoredOrder) : undefined;

/**
 * The orders outbox: table-stream consumer that publishes the event each order transition
 * wrote with it (OrderReceived, OrderUpdated, OrderCancelled), in PutEvents batches of 10.
 * Records of other items are skipped by their keys before anything is unmarshalled. A failed
 * publish fails the batch, which the stream redelivers; events keep their eventId, so
 * consumers see a redelivery as the same event.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<void> => {
  const out: DomainEvent[] = [];
  for (const record of event.Records) {
    const change = record.dynamodb;
    if (!change?.Keys || !ordersKeys.isOrder({ pk: change.Keys.pk?.S, sk: change.Keys.sk?.S })) continue;
    const published = outboxEvent(orderOf(change.OldImage as Image), orderOf(change.NewImage as Image));
    if (published) out.push(published);
  }
  if (out.length > 0) await events.publish(out);
};
