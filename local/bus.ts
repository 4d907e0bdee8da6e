import { createHash, randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { RuleSpec, RuleTarget, RuleTargetBatch } from '../lib/manifest/types.ts';
import {
  type CompiledPattern,
  compilePattern,
  flattenEvent,
  matchesFlattened,
  type PlainObject,
} from './event-pattern.ts';

/** An event as EventBridge delivers it to targets. */
export interface BusEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/** One PutEvents entry, as the SDK sends it. */
export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  Time?: string | number;
  EventBusName?: string;
}

export interface DeliveryPolicy {
  /** EventBridge retries a failed target with back-off; these are the local equivalents. */
  attempts: number;
  backoffMs: (attempt: number) => number;
}

/** One message of an SQS batch as Lambda's event source mapping delivers it. */
export interface QueueRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: {
    ApproximateReceiveCount: string;
    SentTimestamp: string;
    SenderId: string;
    ApproximateFirstReceiveTimestamp: string;
  };
  messageAttributes: Record<string, never>;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/**
 * Hands an event to a rule's target and answers what the target returned: an event, or for a
 * batching target `{ Records }` in SQS shape, answered by `{ batchItemFailures }`.
 */
type Deliver = (target: RuleTarget, event: BusEnvelope | { Records: QueueRecord[] }) => Promise<unknown>;

/** A batching target's events gathered so far, delivered together when full or when the window ends. */
interface OpenBatch {
  events: BusEnvelope[];
  timer: NodeJS.Timeout;
  /** Settles once this batch has been delivered (or dead-lettered); `drain()` waits for it. */
  done: Promise<void>;
  close(): void;
}

/**
 * The local EventBridge bus: the manifest's rules (validated by the same pattern matcher
 * that passes the conformance suite), asynchronous delivery with retries, a dead-letter file
 * per rule, and an archive file of every event for replay. A batching function target (on AWS a
 * queue between rule and function) gets its events gathered into SQS-shaped batches.
 */
export class LocalBus {
  private readonly rules: { spec: RuleSpec; pattern: CompiledPattern }[];
  private readonly recent: BusEnvelope[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly batches = new Map<string, OpenBatch>();
  private readonly listeners = new Set<(event: BusEnvelope) => void>();
  /** Per archive file: lines waiting for the next append, and the append under way. */
  private readonly appends = new Map<string, { lines: string[]; written: Promise<void> }>();
  private busDirReady: Promise<void> | undefined;
  readonly deadLetters: { rule: string; event: BusEnvelope; error: string }[] = [];

  constructor(
    rules: readonly RuleSpec[],
    private readonly deliver: Deliver,
    private readonly opts: {
      busName: string;
      region: string;
      account: string;
      dataDir?: string;
      policy?: DeliveryPolicy;
      recentLimit?: number;
      /**
       * The longest a batching target's events wait to be gathered locally. Lambda's window is an
       * upper bound too; here it is kept short so a journalled event is readable at once.
       * @default 20
       */
      batchWindowMs?: number;
    },
  ) {
    this.rules = rules.map((spec) => ({ spec, pattern: compilePattern(spec.pattern) }));
  }

  /**
   * PutEvents: refuses a request over 256 KB whole, with AWS's error, then validates each entry
   * like EventBridge does and answers per entry. The entry count (≤ 10) is checked where requests
   * come in (the emulated API, `/local/events`): tests inject bursts through this method.
   * `accepted`: the answer already given for these entries (`acceptPutEvents`, on the worker
   * thread); each accepted entry is dispatched under the id it names.
   */
  async putEvents(
    entries: readonly PutEventsEntry[],
    accepted: readonly PutEventsResultEntry[] = acceptPutEvents(entries, this.opts.busName),
  ) {
    for (const [i, entry] of entries.entries()) {
      const id = accepted[i]?.EventId;
      if (!id) continue;
      this.dispatch({
        version: '0',
        id,
        'detail-type': entry.DetailType as string,
        source: entry.Source as string,
        account: this.opts.account,
        time: new Date(entry.Time ?? Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: this.opts.region,
        resources: entry.Resources ?? [],
        detail: JSON.parse(entry.Detail as string),
      });
    }
    return putEventsResult(accepted);
  }

  /** Recently seen events, newest last (local observability; bounded). */
  events(filter?: { detailType?: string; source?: string }): BusEnvelope[] {
    return this.recent.filter(
      (e) =>
        (!filter?.detailType || e['detail-type'] === filter.detailType) &&
        (!filter?.source || e.source === filter.source),
    );
  }

  onEvent(listener: (event: BusEnvelope) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when every delivery started so far has finished (tests, clean shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private dispatch(event: BusEnvelope): void {
    this.recent.push(event);
    if (this.recent.length > (this.opts.recentLimit ?? 5000)) this.recent.shift();
    for (const listener of this.listeners) listener(event);
    void this.archive('archive.jsonl', event);
    // Flattened once for every rule: matching is most of the bus's own work under load.
    const fields = flattenEvent(event as unknown as PlainObject);
    for (const rule of this.rules) {
      if (!matchesFlattened(rule.pattern, fields)) continue;
      const batch = 'fn' in rule.spec.target ? rule.spec.target.batch : undefined;
      if (batch) {
        this.gather(rule.spec, batch, event);
        continue;
      }
      this.track(this.deliverWithRetry(rule.spec, event));
    }
  }

  private track(delivery: Promise<void>): void {
    const tracked = delivery.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private get policy(): DeliveryPolicy {
    return this.opts.policy ?? { attempts: 4, backoffMs: (n: number) => 100 * 2 ** n };
  }

  private async deliverWithRetry(rule: RuleSpec, event: BusEnvelope): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deliver(rule.target, event);
        return;
      } catch (error) {
        if (attempt >= this.policy.attempts) {
          await this.deadLetter(rule, event, describe(error));
          return;
        }
        await new Promise((r) => setTimeout(r, this.policy.backoffMs(attempt)));
      }
    }
  }

  /**
   * A batching target (on AWS: a rule → SQS queue → Lambda): events wait until the batch is full
   * or the window has passed, then go in one invocation, as the event source mapping does.
   */
  private gather(rule: RuleSpec, batch: RuleTargetBatch, event: BusEnvelope): void {
    let open = this.batches.get(rule.name);
    if (!open) {
      let close!: () => void;
      const done = new Promise<void>((resolve) => {
        close = resolve;
      });
      const windowMs = Math.min(batch.windowSeconds * 1000, this.opts.batchWindowMs ?? 20);
      const timer = setTimeout(() => this.flush(rule), windowMs);
      open = { events: [], timer, done, close };
      this.batches.set(rule.name, open);
      this.track(done);
    }
    open.events.push(event);
    if (open.events.length >= batch.size) this.flush(rule);
  }

  private flush(rule: RuleSpec): void {
    const open = this.batches.get(rule.name);
    if (!open) return;
    this.batches.delete(rule.name);
    clearTimeout(open.timer);
    void this.deliverBatchWithRetry(rule, open.events)
      .catch((error) => console.error(`[bus] ${rule.name}: batch delivery failed`, error))
      .finally(open.close);
  }

  /**
   * Delivers a batch and, as SQS would make them visible again, redelivers only the messages the
   * target answered as `batchItemFailures` (all of them if it threw or named one it was not
   * given), until the retry policy gives up on them: then each goes to the rule's dead letters.
   */
  private async deliverBatchWithRetry(rule: RuleSpec, events: readonly BusEnvelope[]): Promise<void> {
    const sentAt = String(Date.now());
    let pending = events.map((event) => ({ messageId: randomUUID(), event }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      let failed: Set<string>;
      let error = 'reported as a batch item failure';
      try {
        const result = await this.deliver(rule.target, {
          Records: pending.map((m) => this.queueRecord(rule, m.messageId, m.event, attempt, sentAt)),
        });
        failed = failedMessages(result, new Set(pending.map((m) => m.messageId)));
      } catch (e) {
        failed = new Set(pending.map((m) => m.messageId));
        error = describe(e);
      }
      pending = pending.filter((m) => failed.has(m.messageId));
      if (pending.length === 0) return;
      if (attempt >= this.policy.attempts) {
        for (const m of pending) await this.deadLetter(rule, m.event, error);
        return;
      }
      await new Promise((r) => setTimeout(r, this.policy.backoffMs(attempt)));
    }
  }

  private queueRecord(
    rule: RuleSpec,
    messageId: string,
    event: BusEnvelope,
    receiveCount: number,
    sentAt: string,
  ): QueueRecord {
    const body = JSON.stringify(event);
    return {
      messageId,
      receiptHandle: `${messageId}#${receiveCount}`,
      body,
      attributes: {
        ApproximateReceiveCount: String(receiveCount),
        SentTimestamp: sentAt,
        SenderId: 'AIDAEVENTBRIDGELOCAL',
        ApproximateFirstReceiveTimestamp: sentAt,
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${this.opts.region}:${this.opts.account}:${this.opts.busName}-${rule.name}`,
      awsRegion: this.opts.region,
    };
  }

  private async deadLetter(rule: RuleSpec, event: BusEnvelope, error: string): Promise<void> {
    this.deadLetters.push({ rule: rule.name, event, error });
    await this.archive(`dlq-${rule.name}.jsonl`, { event, error, at: new Date().toISOString() });
  }

  /**
   * Appends a line to a file under `<dataDir>/bus`. Lines written while an append is under way
   * go together in the next one (one open/write/close per burst, not per event), in order.
   */
  private archive(file: string, record: unknown): Promise<void> {
    if (!this.opts.dataDir) return Promise.resolve();
    const line = `${JSON.stringify(record)}\n`;
    let writer = this.appends.get(file);
    if (!writer) {
      writer = { lines: [], written: Promise.resolve() };
      this.appends.set(file, writer);
    }
    const pending = writer;
    pending.lines.push(line);
    if (pending.lines.length > 1) return pending.written;
    pending.written = pending.written
      .then(async () => {
        const dir = path.join(this.opts.dataDir as string, 'bus');
        this.busDirReady ??= mkdir(dir, { recursive: true }).then(() => undefined);
        await this.busDirReady;
        const text = pending.lines.join('');
        pending.lines = [];
        await appendFile(path.join(dir, file), text);
      })
      .catch((error: Error) => console.error(`[bus] could not append to ${file}: ${error.message}`));
    return pending.written;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The messages a batch target asks to get back. As Lambda does, an answer naming a message that
 * was not in the batch (or a malformed answer) fails the whole batch.
 */
function failedMessages(result: unknown, sent: ReadonlySet<string>): Set<string> {
  const failures = (result as { batchItemFailures?: unknown } | undefined)?.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return new Set(sent);
  const ids = failures.map((f) => (f as { itemIdentifier?: unknown } | null)?.itemIdentifier);
  if (ids.some((id) => typeof id !== 'string' || !sent.has(id))) return new Set(sent);
  return new Set(ids as string[]);
}

/** EventBridge's PutEvents request limits. */
export const PUT_EVENTS_MAX_ENTRIES = 10;
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;

const utf8Bytes = (text: string | undefined): number => (text ? Buffer.byteLength(text, 'utf8') : 0);

/**
 * An entry's size as EventBridge counts it: UTF-8 bytes of Source, DetailType, Detail and each
 * Resource, plus 14 bytes for Time when set (docs: "Calculating PutEvents event entry size").
 */
export function putEventsEntrySize(entry: PutEventsEntry): number {
  return (
    (entry.Time !== undefined ? 14 : 0) +
    utf8Bytes(entry.Source) +
    utf8Bytes(entry.DetailType) +
    utf8Bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, r) => sum + utf8Bytes(r), 0)
  );
}

/** Throws what AWS answers for more than 10 entries: HTTP 400, `ValidationException`. */
export function assertPutEventsEntryCount(entries: readonly PutEventsEntry[]): void {
  if (entries.length > PUT_EVENTS_MAX_ENTRIES) {
    throw validationException(
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${PUT_EVENTS_MAX_ENTRIES}`,
    );
  }
}

/** Throws what AWS answers for entries over 256 KB together: HTTP 400, `ValidationException`. */
function assertPutEventsRequestSize(entries: readonly PutEventsEntry[]): void {
  const total = entries.reduce((sum, entry) => sum + putEventsEntrySize(entry), 0);
  if (total > PUT_EVENTS_MAX_BYTES) {
    throw validationException('Total size of the entries in the request is over the limit.');
  }
}

function validationException(message: string): Error {
  return Object.assign(new Error(message), { name: 'ValidationException', status: 400 });
}

/** EventBridge's answer for one PutEvents entry: its event id, or why it was refused. */
export interface PutEventsResultEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

/** PutEvents' response body for these per-entry answers. */
export function putEventsResult(accepted: readonly PutEventsResultEntry[]) {
  return { FailedEntryCount: accepted.filter((r) => r.ErrorCode).length, Entries: [...accepted] };
}

/**
 * What EventBridge answers a PutEvents request before anything is delivered: throws its
 * ValidationException for entries over 256 KB together, then accepts each valid entry under a new
 * event id and refuses the others one by one. Pure, so the worker thread can answer with it.
 */
export function acceptPutEvents(entries: readonly PutEventsEntry[], busName: string): PutEventsResultEntry[] {
  assertPutEventsRequestSize(entries);
  return entries.map((entry) => {
    const problem = validateEntry(entry, busName);
    return problem ? { ErrorCode: 'MalformedDetail', ErrorMessage: problem } : { EventId: randomUUID() };
  });
}

function validateEntry(entry: PutEventsEntry, busName: string): string | undefined {
  if (!entry.Source) return 'Source is required';
  if (!entry.DetailType) return 'DetailType is required';
  if (!entry.Detail) return 'Detail is required';
  if (entry.EventBusName && entry.EventBusName !== busName && !entry.EventBusName.endsWith(`/${busName}`)) {
    return `Event bus ${entry.EventBusName} does not exist`;
  }
  try {
    const detail: unknown = JSON.parse(entry.Detail);
    if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return 'Detail must be a JSON object';
  } catch {
    return 'Detail is not valid JSON';
  }
  return undefined;
}
