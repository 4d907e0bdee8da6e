import type { DomainEvent } from '#shared/events';
import type { Role } from '#shared/roles';
import type { TaskTokens } from '#shared/task-tokens';
import type { Disposition, Phase, ReturnRecord, ReturnSettings, ReturnStatus } from '../schemas/returns.ts';
import type { OrderFacts, ShippedFacts } from './rules.ts';

export interface Actor {
  username: string;
  roles: readonly Role[];
  correlationId: string;
}

export interface ReturnStore {
  get(returnId: string): Promise<ReturnRecord | undefined>;
  /** Units per SKU held by the order's returns so far, and the tally's version (0: none yet). */
  tally(orderId: string): Promise<{ skus: Record<string, number>; version: number }>;
  /**
   * Writes a new return and the order's tally in one transaction (the tally on the version read):
   * false when either condition failed (the return exists, or another return of the order wrote first).
   */
  create(r: ReturnRecord, tally: { skus: Record<string, number>; version: number }): Promise<boolean>;
  /** Replaces the return on the version read (version + 1); false when it changed meanwhile. */
  update(before: ReturnRecord, after: ReturnRecord): Promise<boolean>;
  /** A rejection: the return and the order's tally (its units given back), one transaction. */
  reject(
    before: ReturnRecord,
    after: ReturnRecord,
    tally: { skus: Record<string, number>; version: number },
  ): Promise<boolean>;
  /** An inspection: its marker (once) and the return, one transaction; false on either condition. */
  inspect(before: ReturnRecord, after: ReturnRecord, inspection: StoredInspection): Promise<boolean>;
  getInspection(returnId: string, inspectionId: string): Promise<StoredInspection | undefined>;
  /** Parks a task token on the return while it has not moved (version read); false when it moved. */
  parkToken(r: ReturnRecord, phase: Phase, token: string): Promise<boolean>;
  byOrder(orderId: string): Promise<ReturnRecord[]>;
  byStatus(status: ReturnStatus): Promise<ReturnRecord[]>;
  settings(): Promise<ReturnSettings | undefined>;
  putSettings(s: ReturnSettings): Promise<void>;
}

export interface StoredInspection {
  returnId: string;
  inspectionId: string;
  locationId: string;
  lines: { sku: string; quantity: number; disposition: Disposition }[];
  complete: boolean;
  at: string;
  by: string;
}

/** Other contexts, through their api.ts. */
export interface ReturnFacts {
  order(
    orderId: string,
  ): Promise<(OrderFacts & { orderId: string; externalId: string; currency: string | null }) | undefined>;
  shipped(orderId: string): Promise<(ShippedFacts & { locationId: string })[]>;
  knownSkus(skus: readonly string[]): Promise<Set<string>>;
  locationExists(locationId: string): Promise<boolean>;
  /** The exchange's replacement order through orders' intake (idempotent by the return id). */
  placeReplacement(
    req: { sourceOrderId: string; exchangeId: string; lines: { sku: string; quantity: number }[] },
    correlationId: string,
  ): Promise<{ orderId: string; status: string } | { refused: string }>;
}

export interface ReturnStock {
  receive(
    cmd: { sku: string; locationId: string; quantity: number; reason: string; idempotencyKey: string },
    ctx: { actor: string; correlationId: string },
  ): Promise<void>;
  disposition(
    cmd: {
      sku: string;
      locationId: string;
      quantity: number;
      disposition: Disposition;
      reason: string;
      idempotencyKey: string;
    },
    ctx: { actor: string; correlationId: string },
  ): Promise<void>;
  /** A putaway task (inbound's) for restocked units waiting in RECEIVING; idempotent by `key`. */
  putaway(cmd: {
    returnId: string;
    key: string;
    locationId: string;
    sku: string;
    quantity: number;
    at: string;
  }): Promise<void>;
}

export interface ReturnWorkflows {
  /** Starts the return's workflow once (named by the return id); a repeat starts nothing. */
  start(returnId: string, correlationId: string): Promise<void>;
}

export interface ReturnPorts {
  store: ReturnStore;
  facts: ReturnFacts;
  stock: ReturnStock;
  events: { publish(events: readonly DomainEvent[]): Promise<void> };
  workflows: ReturnWorkflows;
  tokens: TaskTokens;
  clock: () => Date;
}
