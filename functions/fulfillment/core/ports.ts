import type { BinMoveCommand, CommandContext, ShortPick } from '#inventory/api';
import type { EventPublisher } from '#shared/events';
import type { Carrier, Fulfillment, FulfillmentStatus, PickTask, Wave } from '../schemas/fulfillment.ts';
import type { BinStock } from './pick-path.ts';

/** What one write changes on a fulfillment (the store recomputes its queue keys from the result). */
export type FulfillmentPatch = Partial<
  Pick<
    Fulfillment,
    'status' | 'lines' | 'cutoffAt' | 'carrierId' | 'serviceCode' | 'atRisk' | 'waveId' | 'updatedAt'
  >
>;

/** A fulfillment change inside a multi-item write: applied only if the item is still at `version`. */
export interface FulfillmentChange {
  before: Fulfillment;
  patch: FulfillmentPatch;
}

/** Settings a supervisor sets per location (absent fields take the defaults in core/settings.ts). */
export interface StoredSettings {
  locationId: string;
  autoWave?: boolean;
  maxOrdersPerWave?: number;
  claimTimeoutSeconds?: number;
  unitsPerMinute?: number;
  /** Measured on the floor: units picked and seconds spent, claim to done, over every finished task. */
  pickedUnits?: number;
  pickSeconds?: number;
  updatedAt?: string;
  updatedBy?: string;
}

/** A wave as stored: the published Wave plus what planning left out and why. */
export interface StoredWave extends Wave {
  unplaced?: { fulfillmentId: string; sku: string; quantity: number }[];
  orderIds?: string[];
}

/** A pick task as stored: the published PickTask plus bookkeeping for retries and the pick rate. */
export interface StoredTask extends PickTask {
  /** Last activity of the claimant; a claim untouched longer than the timeout goes back to the pool. */
  touchedAt?: string;
  /** Scan ids already recorded, so a retried scan changes nothing twice. */
  scanIds?: string[];
  /** Units written off by a short pick and when. */
  shortQuantity?: number;
  shortAt?: string;
  shortReason?: string;
  shortBy?: string;
  countRequested?: boolean;
  /** Where a short pick's units were taken from (per fulfillment and order line), for a repeat's events. */
  shorts?: { fulfillmentId: string; lineId: string; quantity: number }[];
  doneAt?: string;
  /** Version for optimistic writes. */
  version: number;
}

export interface TaskRecord {
  task: StoredTask;
  patch: Partial<StoredTask>;
}

/**
 * The fulfillment context's items: fulfillments, waves, pick tasks and settings. Every change is
 * conditional on the version (or status) the caller read, so two writers never both win.
 */
export interface FulfillmentStore {
  /** Creates the fulfillment unless it exists; answers false when it did (a redelivery). */
  create(f: Fulfillment): Promise<boolean>;
  get(fulfillmentId: string): Promise<Fulfillment | undefined>;
  getMany(fulfillmentIds: readonly string[]): Promise<Fulfillment[]>;
  /** Applies the patch if the fulfillment is still at `before.version`; false when it moved on. */
  update(before: Fulfillment, patch: FulfillmentPatch): Promise<boolean>;
  /** A location's fulfillments in one status, earliest cutoff first. */
  byStatus(
    locationId: string,
    status: FulfillmentStatus,
    limit: number,
    cursor?: string,
  ): Promise<{ items: Fulfillment[]; cursor?: string }>;
  ofOrder(orderId: string): Promise<Fulfillment[]>;

  getWave(waveId: string): Promise<StoredWave | undefined>;
  /** A location's waves, newest first. */
  wavesAt(
    locationId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: StoredWave[]; cursor?: string }>;
  setWaveStatus(waveId: string, from: readonly string[], to: string): Promise<boolean>;
  tasksOf(waveId: string): Promise<StoredTask[]>;
  getTask(taskId: string): Promise<StoredTask | undefined>;
  /** Writes a wave's tasks before the wave exists (invisible until then); `discardTasks` undoes it. */
  putTasks(tasks: readonly StoredTask[]): Promise<void>;
  discardTasks(tasks: readonly StoredTask[]): Promise<void>;
  /**
   * One transaction: the wave, and each fulfillment `released` → `waved` (conditional on its
   * version). False when any fulfillment moved on meanwhile (nothing written).
   */
  releaseWave(wave: StoredWave, fulfillments: readonly FulfillmentChange[]): Promise<boolean>;
  /** Claims a task if it is open, or still claimed exactly as read (`seen`) — an expired claim. */
  claimTask(task: StoredTask, by: string, at: string): Promise<boolean>;
  /** Refreshes the caller's claim (and marks the bin scanned when `binScannedAt` is given). */
  touchTask(task: StoredTask, by: string, at: string, binScannedAt?: string): Promise<boolean>;
  /**
   * One transaction: the task (conditional on its version), the fulfillments (conditional on
   * theirs) and, when a task finished, the location's measured pick rate. False on any conflict.
   */
  recordPick(
    task: TaskRecord,
    fulfillments: readonly FulfillmentChange[],
    measured?: { locationId: string; units: number; seconds: number },
  ): Promise<boolean>;

  getSettings(locationId: string): Promise<StoredSettings | undefined>;
  putSettings(
    settings: Omit<StoredSettings, 'pickedUnits' | 'pickSeconds'> & { locationId: string },
  ): Promise<StoredSettings>;
  allSettings(): Promise<StoredSettings[]>;
}

export interface ReservationAllocation {
  lineIndex: number;
  sku: string;
  locationId: string;
  quantity: number;
  kitSku?: string;
}

/** Inventory's published functions, as fulfillment uses them. */
export interface InventoryPort {
  reservation(reservationId: string): Promise<
    | {
        status: string;
        lines: { sku: string; quantity: number }[];
        allocations: ReservationAllocation[];
      }
    | undefined
  >;
  /**
   * The reservation's status in one consistent read, without waiting for a record the stream has
   * not written yet (undefined: such a reservation cannot have been closed, closing needs it).
   */
  reservationStatus(reservationId: string): Promise<string | undefined>;
  timeZoneOf(locationId: string): Promise<string>;
  binStockOf(sku: string, locationId: string): Promise<BinStock[]>;
  /** Scan codes of every bin at the location (barcode, else binId), for WRONG_BIN. */
  binCodesAt(locationId: string): Promise<Map<string, string>>;
  moveBetweenBins(cmd: BinMoveCommand, ctx: CommandContext): Promise<{ applied: boolean }>;
  shortPickReservation(cmd: ShortPick, ctx: CommandContext): Promise<{ applied: boolean }>;
}

/** B3 implements this in adapters/workflow-signals.ts. */
export interface WorkflowSignals {
  advance(fulfillmentId: string, phase: 'waved' | 'picked' | 'packed' | 'shipped'): Promise<void>;
  cancel(fulfillmentId: string, reason: string): Promise<void>;
}

/** Starts the `fulfillment` workflow execution named by the fulfillment id (already started = fine). */
export interface FulfillmentWorkflows {
  start(fulfillmentId: string, correlationId: string): Promise<void>;
}

export interface FulfillmentPorts {
  store: FulfillmentStore;
  inventory: InventoryPort;
  carriers: { all(): Promise<Carrier[]> };
  /** Catalog barcodes per SKU (unknown SKUs absent). */
  barcodes(skus: readonly string[]): Promise<Map<string, string[]>>;
  signals: WorkflowSignals;
  workflows: FulfillmentWorkflows;
  events: EventPublisher;
  clock: () => Date;
}
