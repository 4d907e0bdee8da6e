import { createHash, randomUUID } from 'node:crypto';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { z } from 'zod';
import { eventBridgeClient } from './clients.ts';
import { ENV, getEnv, getOptionalEnv } from './env.ts';
import { type DataRef, dataRefSchema, type PayloadStore, s3PayloadStore } from './payload-store.ts';

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

/**
 * An event whose id derives from what it announces (`key`, e.g. a fulfillment, a PO) and whose
 * time is `at`, so a repeated command, or a retry after a crash between write and publish,
 * re-sends the identical event and consumers see it once.
 */
export function derivedEvent<TData extends z.ZodType>(
  def: EventDefinition<TData>,
  data: z.input<TData>,
  key: string,
  at: string,
  correlationId: string,
): DomainEvent<z.output<TData>> {
  const event = createEvent(def, data, { correlationId, now: () => new Date(at) });
  const h = createHash('sha256').update(`${def.detailType}\n${key}`).digest('hex');
  event.detail.metadata.eventId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return event;
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

/** PutEvents limits: at most 10 entries and 256 KB per request, all entries together. */
export const PUT_EVENTS_MAX_ENTRIES = 10;
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;
/**
 * A `detail` larger than this travels as a claim check: its `data` goes to S3 and the event
 * carries a pointer. Below the 256 KB limit so source, type and time still fit beside it.
 */
export const CLAIM_CHECK_DETAIL_BYTES = 200 * 1024;
const PUT_EVENTS_ATTEMPTS = 3;
/** Top-level scalars a claim-checked event keeps in `data` (ids, statuses): bounded in count and length. */
const KEPT_SCALARS = 32;
const KEPT_STRING_CHARS = 256;

const utf8Bytes = (text: string | undefined): number => (text ? Buffer.byteLength(text, 'utf8') : 0);

/**
 * An entry's size as EventBridge counts it against the 256 KB request limit: UTF-8 bytes of
 * Source, DetailType, Detail and each Resource, plus 14 bytes when Time is set.
 */
export function putEventsEntrySize(entry: PutEventsRequestEntry): number {
  return (
    (entry.Time ? 14 : 0) +
    utf8Bytes(entry.Source) +
    utf8Bytes(entry.DetailType) +
    utf8Bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, r) => sum + utf8Bytes(r), 0)
  );
}

/** Packs entries, in order, into requests of at most 10 entries and 256 KB. */
export function packPutEvents(entries: readonly PutEventsRequestEntry[]): PutEventsRequestEntry[][] {
  const requests: PutEventsRequestEntry[][] = [];
  let current: PutEventsRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = putEventsEntrySize(entry);
    if (size > PUT_EVENTS_MAX_BYTES) {
      throw new PublishFailed([{ detailType: entry.DetailType ?? '?', errorCode: 'EntryTooLarge' }]);
    }
    if (current.length >= PUT_EVENTS_MAX_ENTRIES || bytes + size > PUT_EVENTS_MAX_BYTES) {
      requests.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

/** `events/<yyyy>/<mm>/<dd>/<eventId>.json`: one object per event, rewritten alike on a republish. */
export function eventPayloadKey(metadata: EventMetadata): string {
  const [yyyy, mm, dd] = metadata.occurredAt.slice(0, 10).split('-');
  return `events/${yyyy}/${mm}/${dd}/${metadata.eventId}.json`;
}

/**
 * What a claim-checked event keeps in `data`: its short top-level scalars (order id, status,
 * channel...), so rule patterns on them and the journal's subject still work. Consumers never see
 * it: the kernel's event handler swaps in the full data from `dataRef`.
 */
function keptScalars(data: unknown): Record<string, string | number | boolean> {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return {};
  const kept: Record<string, string | number | boolean> = {};
  for (const [field, value] of Object.entries(data)) {
    if (Object.keys(kept).length >= KEPT_SCALARS) break;
    if (typeof value === 'number' || typeof value === 'boolean') kept[field] = value;
    else if (typeof value === 'string' && value.length <= KEPT_STRING_CHARS) kept[field] = value;
  }
  return kept;
}

/** `QM_EVENT_CLAIM_CHECK_BYTES` may lower the threshold (never raise it past what fits a request). */
function claimCheckThreshold(): number {
  const configured = Number(getOptionalEnv(ENV.eventClaimCheckBytes));
  return Number.isInteger(configured) && configured > 0
    ? Math.min(configured, CLAIM_CHECK_DETAIL_BYTES)
    : CLAIM_CHECK_DETAIL_BYTES;
}

/** The event's `detail` as it goes on the bus: inline, or claim-checked when too large. */
export async function detailForBus(
  event: DomainEvent,
  payloads: PayloadStore | undefined,
  thresholdBytes = claimCheckThreshold(),
): Promise<string> {
  const inline = JSON.stringify(event.detail);
  if (utf8Bytes(inline) <= thresholdBytes) return inline;
  if (!payloads) {
    // Without a bucket the event cannot travel: fail loudly rather than have PutEvents refuse it.
    throw new PublishFailed([{ detailType: event.detailType, errorCode: 'PayloadStoreMissing' }]);
  }
  const dataRef = await payloads.put(
    eventPayloadKey(event.detail.metadata),
    JSON.stringify(event.detail.data),
  );
  const claimCheck: ClaimCheckedDetail = {
    metadata: event.detail.metadata,
    data: keptScalars(event.detail.data),
    dataRef,
  };
  return JSON.stringify(claimCheck);
}

/**
 * Publishes to the erp bus with PutEvents: a `detail` over 200 KB is claim-checked to S3 first,
 * then entries are packed into requests of ≤ 10 entries and ≤ 256 KB; entries that failed are
 * retried.
 */
export function eventBridgePublisher(
  busName = getEnv(ENV.busName),
  payloads: PayloadStore | undefined = s3PayloadStore(),
): EventPublisher {
  return {
    async publish(events) {
      const entries = await Promise.all(
        events.map(
          async (e): Promise<PutEventsRequestEntry> => ({
            EventBusName: busName,
            Source: e.source,
            DetailType: e.detailType,
            Detail: await detailForBus(e, payloads),
            Time: new Date(e.detail.metadata.occurredAt),
          }),
        ),
      );
      for (const request of packPutEvents(entries)) {
        let pending = request;
        for (let attempt = 1; pending.length > 0; attempt++) {
          const out = await eventBridgeClient().send(new PutEventsCommand({ Entries: pending }));
          if (!out.FailedEntryCount) break;
          const failed = pending.flatMap((entry, idx) => {
            const errorCode = out.Entries?.[idx]?.ErrorCode;
            return errorCode ? [{ entry, errorCode }] : [];
          });
          if (attempt >= PUT_EVENTS_ATTEMPTS) {
            throw new PublishFailed(
              failed.map((f) => ({ detailType: f.entry.DetailType ?? '?', errorCode: f.errorCode })),
            );
          }
          pending = failed.map((f) => f.entry);
        }
      }
    },
  };
}

/** A claim-checked `detail`: `data` holds only short top-level scalars; the whole data is at `dataRef`. */
export interface ClaimCheckedDetail {
  metadata: EventMetadata;
  data: Record<string, string | number | boolean>;
  dataRef: DataRef;
}

/** An EventBridge event as a rule target receives it. */
export const busEventSchema = z.object({
  id: z.string(),
  source: z.string(),
  'detail-type': z.string(),
  time: z.string(),
  /** `dataRef` is set on a claim-checked event; `eventHandler` resolves it into `data`. */
  detail: z.object({ metadata: eventMetadataSchema, data: z.unknown(), dataRef: dataRefSchema.optional() }),
});
export type BusEvent = z.infer<typeof busEventSchema>;
