import type { DynamoDBStreamEvent } from 'aws-lambda';
import { streamChanges } from '../adapters/stream-images.ts';
import { inventoryPorts } from '../adapters/wiring.ts';
import { processStockStream } from '../core/stream-consumer.ts';

const ports = inventoryPorts();

/**
 * Table stream consumer: ledger movements, reservation records and events follow from position
 * and reservation writes. A thrown error makes the event source retry the whole batch; every
 * step is idempotent.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<void> => {
  await processStockStream(ports, streamChanges(event.Records));
};
