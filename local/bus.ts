import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { RuleSpec, RuleTarget } from '../lib/manifest/types.ts';
import { type CompiledPattern, compilePattern, matchesPattern } from './event-pattern.ts';

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

type Deliver = (target: RuleTarget, event: BusEnvelope) => Promise<void>;

/**
 * The local EventBridge bus: the manifest's rules (validated by the same pattern matcher
 * that passes the conformance suite), asynchronous delivery with retries, a dead-letter file
 * per rule, and an archive file of every event for replay.
 */
export class LocalBus {
  private readonly rules: { spec: RuleSpec; pattern: CompiledPattern }[];
  private readonly recent: BusEnvelope[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly listeners = new Set<(event: BusEnvelope) => void>();
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
    },
  ) {
    this.rules = rules.map((spec) => ({ spec, pattern: compilePattern(spec.pattern) }));
  }

  /** PutEvents: validates each entry like EventBridge does and answers per entry. */
  async putEvents(entries: readonly PutEventsEntry[]) {
    const results: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[] = [];
    for (const entry of entries) {
      const problem = validateEntry(entry, this.opts.busName);
      if (problem) {
        results.push({ ErrorCode: 'MalformedDetail', ErrorMessage: problem });
        continue;
      }
      const event: BusEnvelope = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType as string,
        source: entry.Source as string,
        account: this.opts.account,
        time: new Date(entry.Time ?? Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: this.opts.region,
        resources: entry.Resources ?? [],
        detail: JSON.parse(entry.Detail as string),
      };
      results.push({ EventId: event.id });
      this.dispatch(event);
    }
    return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
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
    for (const rule of this.rules) {
      if (!matchesPattern(rule.pattern, event)) continue;
      const delivery = this.deliverWithRetry(rule.spec, event).finally(() => this.inFlight.delete(delivery));
      this.inFlight.add(delivery);
    }
  }

  private async deliverWithRetry(rule: RuleSpec, event: BusEnvelope): Promise<void> {
    const policy = this.opts.policy ?? { attempts: 4, backoffMs: (n: number) => 100 * 2 ** n };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deliver(rule.target, event);
        return;
      } catch (error) {
        if (attempt >= policy.attempts) {
          const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          this.deadLetters.push({ rule: rule.name, event, error: message });
          await this.archive(`dlq-${rule.name}.jsonl`, {
            event,
            error: message,
            at: new Date().toISOString(),
          });
          return;
        }
        await new Promise((r) => setTimeout(r, policy.backoffMs(attempt)));
      }
    }
  }

  private async archive(file: string, record: unknown): Promise<void> {
    if (!this.opts.dataDir) return;
    const dir = path.join(this.opts.dataDir, 'bus');
    await mkdir(dir, { recursive: true });
    await appendFile(path.join(dir, file), `${JSON.stringify(record)}\n`);
  }
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
