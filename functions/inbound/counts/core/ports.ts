import type { EventPublisher } from '#shared/events';
import type { Actor } from '../../core/ports.ts';
import type { CountSettings, CountTask, CountVariance, VarianceStatus } from '../schemas.ts';
import type { SkuVelocity } from './abc.ts';

export type { Actor } from '../../core/ports.ts';

/** Cycle counts' items in the table (keys in ../keys.ts). */
export interface CountStore {
  settings(): Promise<CountSettings | undefined>;
  putSettings(settings: CountSettings): Promise<void>;
  /**
   * Creates the task and marks its bin as having it open, in one transaction; when the bin has
   * an open task already nothing is written and that task's id is answered.
   */
  createTask(task: CountTask): Promise<{ created: true } | { created: false; openTaskId: string }>;
  task(taskId: string): Promise<CountTask | undefined>;
  /** Open tasks of a location, oldest first (an index read). */
  openTasks(locationId: string): Promise<CountTask[]>;
  /** Submitted tasks of a location since `from` (an index read). */
  submittedTasks(locationId: string, from: string): Promise<CountTask[]>;
  /** When each bin of a location was last counted, and which have an open task. */
  binStates(locationId: string): Promise<{ binId: string; lastCountedAt?: string; openTaskId?: string }[]>;
  /**
   * The open task becomes `submitted` with its lines, its bin is free again and marked counted,
   * and its variances are created, in one transaction; false when the task was not open.
   */
  submit(task: CountTask, variances: readonly CountVariance[]): Promise<boolean>;
  variance(varianceId: string): Promise<CountVariance | undefined>;
  variances(status: VarianceStatus): Promise<CountVariance[]>;
  /** Writes the variance if its status is still one of `from`; false otherwise. */
  updateVariance(next: CountVariance, from: readonly VarianceStatus[]): Promise<boolean>;
  /** Units shipped per SKU in these months (yyyy-mm), last received unit costs joined in. */
  velocity(months: readonly string[]): Promise<SkuVelocity[]>;
}

/** A bin as counting sees it: inventory's bin with what it records in it. */
export interface CountBin {
  binId: string;
  type: string;
  walkOrder: number;
  zone?: string;
  barcode?: string;
  contents: { sku: string; quantity: number }[];
}

export interface CountPorts {
  store: CountStore;
  bins: { at(locationId: string): Promise<CountBin[]> };
  locations: { exists(locationId: string): Promise<boolean> };
  /** SKUs the catalog knows that hold stock (not kits). */
  stockSkus(skus: readonly string[]): Promise<Set<string>>;
  /**
   * Inventory's count correction: `delta` units into (or out of) the bin and the free stock,
   * idempotent by key. Throws a DomainError (409 INSUFFICIENT_STOCK when the units are reserved,
   * BIN_SHORT) when inventory's invariants refuse it.
   */
  adjust(
    cmd: {
      sku: string;
      locationId: string;
      binId: string;
      delta: number;
      reason: string;
      idempotencyKey: string;
    },
    who: Actor,
  ): Promise<void>;
  events: EventPublisher;
  clock: () => Date;
  newId: () => string;
}
