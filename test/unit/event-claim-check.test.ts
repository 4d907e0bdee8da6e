import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventHandler } from '../../functions/shared/event-handler.ts';
import {
  type BusEvent,
  type ClaimCheckedDetail,
  type DomainEvent,
  eventBridgePublisher,
  PUT_EVENTS_MAX_BYTES,
  packPutEvents,
  putEventsEntrySize,
} from '../../functions/shared/events.ts';
import { type DataRef, type PayloadStore, sha256Hex } from '../../functions/shared/payload-store.ts';
import { createAwsEmulator } from '../../local/aws-emulator.ts';
import { LocalBus, putEventsEntrySize as localEntrySize } from '../../local/bus.ts';
import type { LocalStepFunctions } from '../../local/stepfunctions.ts';

const eventBridge = mockClient(EventBridgeClient);
const context = { getRemainingTimeInMillis: () => 10_000, functionName: 'consumer' } as unknown as Context;
const KB = 1024;

/** A payload store in memory; `objects` can be tampered with. */
function memoryStore(): PayloadStore & { objects: Map<string, string> } {
  const objects = new Map<string, string>();
  return {
    objects,
    async put(key, json) {
      objects.set(key, json);
      return { bucket: 'exports', key, bytes: Buffer.byteLength(json, 'utf8'), sha256: sha256Hex(json) };
    },
    async get(ref: DataRef) {
      const json = objects.get(ref.key);
      if (json === undefined)
        throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      return json;
    },
  };
}

/** An OrderReceived-like event whose lines make its detail about `approxBytes` long. */
function orderEvent(approxBytes: number, orderId = `ord-${randomUUID()}`): DomainEvent {
  const line = (i: number) => ({ lineId: `L${i}-${'x'.repeat(180)}`, sku: 'TEE-ORG-BLK-M', quantity: 1 });
  const lineBytes = JSON.stringify(line(100)).length + 1;
  const lines = Array.from({ length: Math.max(1, Math.ceil(approxBytes / lineBytes)) }, (_, i) => line(i));
  return {
    source: 'qm.orders',
    detailType: 'OrderReceived',
    detail: {
      metadata: {
        eventId: randomUUID(),
        occurredAt: '2026-12-04T10:15:00.000Z',
        version: 1,
        correlationId: 'corr-1',
      },
      data: { orderId, channelId: 'store-1', paymentStatus: 'paid', lines },
    },
  };
}

/** An entry without Time, acceptable both to the SDK and to the local bus. */
type PlainEntry = { Source: string; DetailType: string; Detail: string; Resources?: string[] };
const entry = (detailBytes: number, extra: Partial<PlainEntry> = {}): PlainEntry => ({
  Source: 'qm.orders',
  DetailType: 'OrderReceived',
  Detail: JSON.stringify({ pad: 'p'.repeat(Math.max(0, detailBytes - 10)) }),
  ...extra,
});

/** The PutEvents requests the publisher made. */
const requests = () => eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
const requestBytes = (entries: PutEventsRequestEntry[]) =>
  entries.reduce((sum, e) => sum + putEventsEntrySize(e), 0);

beforeEach(() => {
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
    FailedEntryCount: 0,
    Entries: input.Entries.map(() => ({ EventId: randomUUID() })),
  }));
});

describe('PutEvents entry size, as EventBridge counts it', () => {
  it('counts UTF-8 bytes of Source, DetailType, Detail and Resources, and 14 bytes for Time', () => {
    const plain = { Source: 'qm.orders', DetailType: 'OrderReceived', Detail: '{"a":"é"}' };
    // 9 + 13 + 10 (é is two bytes)
    expect(putEventsEntrySize(plain)).toBe(32);
    expect(putEventsEntrySize({ ...plain, Time: new Date(), Resources: ['arn:x', 'arn:yz'] })).toBe(
      32 + 14 + 11,
    );
    // The local bus counts the same way (its Time arrives as epoch seconds from the SDK).
    expect(localEntrySize({ ...plain, Time: 1_764_000_000, Resources: ['arn:x', 'arn:yz'] })).toBe(57);
  });
});

describe('packing PutEvents requests by size', () => {
  it('keeps at most 10 entries per request', () => {
    const packed = packPutEvents(Array.from({ length: 25 }, () => entry(100)));
    expect(packed.map((r) => r.length)).toEqual([10, 10, 5]);
  });

  it('starts a new request before the entries together pass 256 KB, keeping their order', () => {
    const entries = Array.from({ length: 5 }, (_, i) => entry(100 * KB, { Resources: [`r${i}`] }));
    const packed = packPutEvents(entries);
    expect(packed.map((r) => r.length)).toEqual([2, 2, 1]);
    for (const request of packed) expect(requestBytes(request)).toBeLessThanOrEqual(PUT_EVENTS_MAX_BYTES);
    expect(packed.flat().map((e) => e.Resources?.[0])).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });

  it('fills a request up to exactly 256 KB', () => {
    const half = PUT_EVENTS_MAX_BYTES / 2;
    const a = entry(0);
    const overhead = putEventsEntrySize(a) - (a.Detail?.length ?? 0);
    const fits = entry(half - overhead);
    expect(putEventsEntrySize(fits)).toBe(half);
    expect(packPutEvents([fits, fits, entry(10)]).map((r) => r.length)).toEqual([2, 1]);
  });

  it('refuses an entry that alone is over 256 KB', () => {
    expect(() => packPutEvents([entry(PUT_EVENTS_MAX_BYTES)])).toThrow(
      expect.objectContaining({
        name: 'PublishFailed',
        failed: [{ detailType: 'OrderReceived', errorCode: 'EntryTooLarge' }],
      }),
    );
  });
});

describe('publishing with a claim check', () => {
  it('sends events of 150 KB in separate requests, each within the limits', async () => {
    const store = memoryStore();
    const events = [orderEvent(150 * KB), orderEvent(1 * KB), orderEvent(150 * KB), orderEvent(60 * KB)];
    await eventBridgePublisher('qm-test', store).publish(events);
    const sent = requests();
    expect(sent.length).toBeGreaterThan(1);
    for (const request of sent) {
      expect(request.length).toBeLessThanOrEqual(10);
      expect(requestBytes(request)).toBeLessThanOrEqual(PUT_EVENTS_MAX_BYTES);
    }
    const ids = sent.flat().map((e) => JSON.parse(e.Detail ?? '{}').metadata.eventId);
    expect(ids).toEqual(events.map((e) => e.detail.metadata.eventId));
    expect(store.objects.size).toBe(0);
  });

  it('stores the data of a detail over 200 KB in S3 and sends a pointer with its size and hash', async () => {
    const store = memoryStore();
    const big = orderEvent(300 * KB, 'ord-big');
    await eventBridgePublisher('qm-test', store).publish([big]);
    const [[sent]] = requests() as [[PutEventsRequestEntry]];
    expect(putEventsEntrySize(sent)).toBeLessThan(2 * KB);
    const detail = JSON.parse(sent.Detail ?? '{}') as ClaimCheckedDetail;
    const key = `events/2026/12/04/${big.detail.metadata.eventId}.json`;
    const stored = store.objects.get(key);
    expect(stored && JSON.parse(stored)).toEqual(big.detail.data);
    expect(detail).toEqual({
      metadata: big.detail.metadata,
      // Short top-level scalars stay, for rule patterns and the journal's subject; lines do not.
      data: { orderId: 'ord-big', channelId: 'store-1', paymentStatus: 'paid' },
      dataRef: {
        bucket: 'exports',
        key,
        bytes: Buffer.byteLength(stored ?? '', 'utf8'),
        sha256: sha256Hex(stored ?? ''),
      },
    });
  });

  it('refuses to publish an oversized event when no bucket is bound, before calling PutEvents', async () => {
    await expect(
      eventBridgePublisher('qm-test', undefined).publish([orderEvent(300 * KB)]),
    ).rejects.toMatchObject({
      name: 'PublishFailed',
      failed: [{ detailType: 'OrderReceived', errorCode: 'PayloadStoreMissing' }],
    });
    expect(requests()).toHaveLength(0);
  });
});

describe('consumers receive the whole data', () => {
  /** Publishes `event` through the publisher and answers what the bus would deliver. */
  async function deliveredFor(event: DomainEvent, store: PayloadStore): Promise<BusEvent> {
    await eventBridgePublisher('qm-test', store).publish([event]);
    const [[sent]] = requests() as [[PutEventsRequestEntry]];
    return {
      id: randomUUID(),
      source: sent.Source ?? '',
      'detail-type': sent.DetailType ?? '',
      time: '2026-12-04T10:15:00Z',
      detail: JSON.parse(sent.Detail ?? '{}'),
    };
  }

  it('resolves the pointer before the use case runs', async () => {
    const store = memoryStore();
    const big = orderEvent(300 * KB);
    const delivered = await deliveredFor(big, store);
    const seen: BusEvent[] = [];
    const handler = eventHandler('test-consumer', async (e) => void seen.push(e), {
      idempotent: false,
      payloads: store,
    });
    await handler(delivered, context);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.detail.data).toEqual(big.detail.data);
    expect(seen[0]?.detail.dataRef).toBeUndefined();
  });

  it('refuses a payload whose hash does not match, and the use case never runs', async () => {
    const store = memoryStore();
    const big = orderEvent(300 * KB);
    const delivered = await deliveredFor(big, store);
    const key = delivered.detail.dataRef?.key ?? '';
    // Same length, one character changed: only the hash can tell.
    store.objects.set(key, (store.objects.get(key) ?? '').replace('TEE-ORG-BLK-M', 'TEE-ORG-BLK-L'));
    let ran = false;
    const handler = eventHandler(
      'test-consumer',
      async () => {
        ran = true;
      },
      { idempotent: false, payloads: store },
    );
    await expect(handler(delivered, context)).rejects.toMatchObject({
      name: 'PayloadIntegrityError',
      message: expect.stringContaining('SHA-256'),
    });
    expect(ran).toBe(false);
  });

  it('fails (so the bus retries) when the object is missing', async () => {
    const store = memoryStore();
    const delivered = await deliveredFor(orderEvent(300 * KB), store);
    store.objects.clear();
    const handler = eventHandler('test-consumer', async () => undefined, {
      idempotent: false,
      payloads: store,
    });
    await expect(handler(delivered, context)).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('leaves the pointer for a consumer that keeps it (the journal)', async () => {
    const store = memoryStore();
    const delivered = await deliveredFor(orderEvent(300 * KB), store);
    const seen: BusEvent[] = [];
    const handler = eventHandler('journal-like', async (e) => void seen.push(e), {
      idempotent: false,
      resolveData: false,
      payloads: store,
    });
    await handler(delivered, context);
    expect(seen[0]?.detail.dataRef).toEqual(delivered.detail.dataRef);
  });
});

describe('the local bus enforces the PutEvents request limits', () => {
  const localBus = () =>
    new LocalBus([], async () => undefined, {
      busName: 'qm-test',
      region: 'us-east-1',
      account: '000000000000',
    });

  it('refuses a request over 256 KB whole, as AWS does', async () => {
    const half = entry(PUT_EVENTS_MAX_BYTES / 2);
    await expect(localBus().putEvents([half, half, entry(100)])).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
  });

  it('accepts a request of exactly 256 KB', async () => {
    const a = entry(0);
    const overhead = putEventsEntrySize(a) - (a.Detail?.length ?? 0);
    const half = entry(PUT_EVENTS_MAX_BYTES / 2 - overhead);
    await expect(localBus().putEvents([half, half])).resolves.toMatchObject({ FailedEntryCount: 0 });
  });

  const emulator = () =>
    createAwsEmulator({
      bus: localBus(),
      sfn: {} as LocalStepFunctions,
      busName: 'qm-test',
      busArn: 'arn:aws:events:us-east-1:000000000000:event-bus/qm-test',
    });

  it('answers more than 10 entries through the emulated API with a 400 ValidationException', async () => {
    const reply = await emulator()(
      'AWSEvents.PutEvents',
      JSON.stringify({ Entries: Array.from({ length: 11 }, () => entry(10)) }),
    );
    expect(reply).toMatchObject({ status: 400, body: { __type: 'ValidationException' } });
  });

  it('answers an oversized PutEvents through the emulated API with a 400 ValidationException', async () => {
    const emulate = emulator();
    const reply = await emulate(
      'AWSEvents.PutEvents',
      JSON.stringify({ Entries: [entry(200 * KB), entry(100 * KB)] }),
    );
    expect(reply).toMatchObject({
      status: 400,
      body: {
        __type: 'ValidationException',
        message: 'Total size of the entries in the request is over the limit.',
      },
      headers: { 'x-amzn-errortype': 'ValidationException' },
    });
  });
});
