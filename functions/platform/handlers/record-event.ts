import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { eventHandler } from '#shared/event-handler';
import { type BusEvent, busEventSchema } from '#shared/events';
import { logger } from '#shared/powertools';
import { platformPorts } from '../adapters/wiring.ts';
import { toJournalEntry } from '../core/journal.ts';

const { journal } = platformPorts();

/** One event, as a direct rule target (or a replay) delivers it. */
// A claim-checked event is journalled with its pointer (`dataRef`), not its S3 payload, which
// would not fit a 400 KB item.
const recordOne = eventHandler('journal', async (event) => journal.record(toJournalEntry(event)), {
  idempotent: false,
  resolveData: false,
});

/**
 * Journals `qm.*` events. The journal rule delivers them through a queue in batches (SQS shape,
 * each body one EventBridge event): they are written with BatchWriteItem, 25 per call, and the
 * messages whose event could not be read or written are answered as batch item failures, so
 * only they come back (and after the queue's receive limit, go to its dead-letter queue).
 * A single EventBridge event is journalled as before. Either way the entry is keyed by the
 * event id, so a redelivery rewrites the same item.
 */
export async function handler(event: unknown, context: Context): Promise<SQSBatchResponse | undefined> {
  if (!isSqsBatch(event)) {
    await recordOne(event, context);
    return undefined;
  }
  const events: { messageId: string; event: BusEvent }[] = [];
  const failed: string[] = [];
  for (const record of event.Records) {
    const parsed = parseBody(record.body);
    if (parsed) events.push({ messageId: record.messageId, event: parsed });
    else {
      logger.error('Not a Quartermaster event; left for the dead-letter queue', {
        messageId: record.messageId,
      });
      failed.push(record.messageId);
    }
  }
  const unwritten = new Set(await journal.recordAll(events.map((e) => toJournalEntry(e.event))));
  for (const e of events) {
    if (unwritten.has(e.event.detail.metadata.eventId)) failed.push(e.messageId);
  }
  if (unwritten.size > 0)
    logger.warn('Journal entries left unprocessed; retried through the queue', { count: unwritten.size });
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}

function isSqsBatch(event: unknown): event is { Records: SQSRecord[] } {
  return (
    typeof event === 'object' && event !== null && Array.isArray((event as { Records?: unknown }).Records)
  );
}

function parseBody(body: string): BusEvent | undefined {
  try {
    const parsed = busEventSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
