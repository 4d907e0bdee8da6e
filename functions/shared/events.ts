import { randomUUID } from 'node:crypto';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { z } from 'zod';
import { eventBridgeClient } from './clients.ts';
import { ENV, getEnv } from './env.ts';

/**
 * The event envelope every Quartermaster event carries in `detail`:
 * `{ metadata: { eventId, occurredAt, version, correlationId, causationId }, data }`.
 * Each event is declared once with `defineEvent`; the same constants feed the rule patterns
 * in the manifest and the code that publishes and parses them.
 */
export const eventMetadataSchema = z.object({
  eventId: z.string().min(1),
  occurredAt: z.string().datetime(),
  version: z.number().int().positive(),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).optional(),
});
export type EventMetadata = z.infer<typeof eventMetadataSchema>;

export interface EventDefinition<TData extends z.ZodType> {
  source: `qm.${string}`;
  detailType: string;
  version: number;
  data: TData;
  /** The full `detail` schema (metadata + data), for consumers. */
  detail: z.ZodObject<{ metadata: typeof eventMetadataSchema; data: TData }>;
}

export function defineEvent<TData extends z.ZodType>(def: {
  source: `qm.${string}`;
  detailType: string;
  version: number;
  data: TData;
}): EventDefinition<TData> {
  return { ...def, detail: z.object({ metadata: eventMetadataSchema, data: def.data }) };
}

/** An event ready to publish. */
export interface DomainEvent<TData = unknown> {
  source: string;
  detailType: string;
  detail: { metadata: EventMetadata; data: TData };
}

export interface EventContext {
  correlationId: string;
  causationId?: string;
  /** Injected for deterministic tests. */
  now?: () => Date;
}

/** Builds an envelope, validating the payload against its declaration before it leaves. */
export function createEvent<TData extends z.ZodType>(
  def: EventDefinition<TData>,
  data: z.input<TData>,
  ctx: EventContext,
): DomainEvent<z.output<TData>> {
  return {
    source: def.source,
    detailType: def.detailType,
    detail: {
      metadata: {
        eventId: randomUUID(),
        occurredAt: (ctx.now?.() ?? new Date()).toISOString(),
        version: def.version,
        correlationId: ctx.correlationId,
        ...(ctx.causationId ? { causationId: ctx.causationId } : {}),
      },
      data: def.data.parse(data),
    },
  };
}

/** Outbound port for events. Use cases depend on this, never on the SDK. */
export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}

export class PublishFailed extends Error {
  constructor(readonly failed: readonly { detailType: string; errorCode?: string }[]) {
    super(`Failed to publish ${failed.length} event(s): ${failed.map((f) => f.errorCode).join(', ')}`);
    this.name = 'PublishFailed';
  }
}

const PUT_EVENTS_BATCH = 10;
const PUT_EVENTS_ATTEMPTS = 3;

/** Publishes to the erp bus with PutEvents, in batches of 10, retrying entries that failed. */
export function eventBridgePublisher(busName = getEnv(ENV.busName)): EventPublisher {
  return {
    async publish(events) {
      for (let i = 0; i < events.length; i += PUT_EVENTS_BATCH) {
        let pending: PutEventsRequestEntry[] = events.slice(i, i + PUT_EVENTS_BATCH).map((e) => ({
          EventBusName: busName,
          Source: e.source,
          DetailType: e.detailType,
          Detail: JSON.stringify(e.detail),
          Time: new Date(e.detail.metadata.occurredAt),
        }));
        for (let attempt = 1; pending.length > 0; attempt++) {
          const out = await eventBridgeClient().send(new PutEventsCommand({ Entries: pending }));
          if (!out.FailedEntryCount) break;
          const failed = pending.filter((_, idx) => out.Entries?.[idx]?.ErrorCode);
          if (attempt >= PUT_EVENTS_ATTEMPTS) {
            throw new PublishFailed(
              failed.map((entry, idx) => ({
                detailType: entry.DetailType ?? '?',
                errorCode: out.Entries?.[idx]?.ErrorCode,
              })),
            );
          }
          pending = failed;
        }
      }
    },
  };
}

/** An EventBridge event as a rule target receives it. */
export const busEventSchema = z.object({
  id: z.string(),
  source: z.string(),
  'detail-type': z.string(),
  time: z.string(),
  detail: z.object({ metadata: eventMetadataSchema, data: z.unknown() }),
});
export type BusEvent = z.infer<typeof busEventSchema>;
