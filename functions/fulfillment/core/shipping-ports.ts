import type { BinPick, CommandContext } from '#inventory/api';
import type { EventPublisher } from '#shared/events';
import type { TaskTokens } from '#shared/task-tokens';
import type { Fulfillment, PackageInput, Shipment } from '../schemas/fulfillment.ts';
import type { InventoryPort, StoredTask, WorkflowSignals } from './ports.ts';

/** The workflow's phases, in order: each Await state parks until the fulfillment reached it. */
export const PHASES = ['waved', 'picked', 'packed', 'shipped'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * A fulfillment as pack, ship, the workflow and cancellation read it: the published record plus
 * the workflow's bookkeeping on the same item (never shown by the API).
 */
export interface ShippingRecord extends Fulfillment {
  /** The task token each Await state parked with (`tokens.<phase>`). */
  tokens?: Partial<Record<Phase, string>>;
  /** A cancel was asked: the workflow's next step (or its parked task) goes to Cancel. */
  cancelRequested?: { reason: string; at: string };
  packedAt?: string;
  packedBy?: string;
  cancelledAt?: string;
  /** Events already on the bus (by detail type): a repeat publishes only what is missing. */
  published?: string[];
  /** When a publisher claimed each event still to go out (publishOnce): one publisher at a time. */
  publishClaims?: Record<string, string>;
  /** Pack scans already counted, so a retried scan (same scanId) counts once. */
  packScanIds?: string[];
  /** Phases whose parked task was completed: a repeated command sends nothing (and audits as unchanged). */
  signalled?: Phase[];
}

/** Fields of ShippingRecord that stay inside the context (stripped from every API answer). */
export const PRIVATE_FIELDS = [
  'tokens',
  'cancelRequested',
  'published',
  'publishClaims',
  'packScanIds',
  'signalled',
] as const satisfies readonly (keyof ShippingRecord)[];

/**
 * Pack, ship, the workflow's steps and cancellation on the fulfillment item. Every change is
 * conditional on the version read (and bumps it, as B2's writes do), so pick scans, pack scans,
 * ship and cancel never overwrite each other; false means "moved on meanwhile: read again".
 */
export interface ShipmentStore {
  load(fulfillmentId: string): Promise<ShippingRecord | undefined>;
  /**
   * Stores the Await state's token when the fulfillment is still in one of `waitingIn` and no
   * cancel was asked; false when it moved on (or a cancel came) since it was read.
   */
  parkToken(
    before: ShippingRecord,
    phase: Phase,
    token: string,
    waitingIn: readonly string[],
  ): Promise<boolean>;
  /** Marks a cancel as asked unless shipped; answers the record as it is afterwards. */
  requestCancel(fulfillmentId: string, reason: string, at: string): Promise<ShippingRecord | undefined>;
  /** New line counts; `scanId` is remembered (the newest 200) so its retry counts once. */
  recordPackScan(
    before: ShippingRecord,
    lines: Fulfillment['lines'],
    at: string,
    scanId?: string,
  ): Promise<boolean>;
  markPacked(before: ShippingRecord, packages: PackageInput[], at: string, by: string): Promise<boolean>;
  markShipped(before: ShippingRecord, shipment: Shipment): Promise<boolean>;
  markCancelled(before: ShippingRecord, at: string): Promise<boolean>;
  /**
   * Claims the publishing of `detailType`: true unless it is published already or another
   * publisher claimed it at or after `staleBefore` (bookkeeping: no version bump).
   */
  claimPublish(
    fulfillmentId: string,
    detailType: string,
    claim: { at: string; staleBefore: string },
  ): Promise<boolean>;
  markPublished(fulfillmentId: string, detailType: string): Promise<void>;
  /** Records that the phase's parked task was completed (bookkeeping: no version bump). */
  markSignalled(fulfillmentId: string, phase: Phase): Promise<void>;
  raiseException(
    fulfillmentId: string,
    exception: { code: string; message: string; at: string; phase?: string },
  ): Promise<void>;
  /** Removes the exception if it was raised for one of `phases` (a later one's stays). */
  clearException(fulfillmentId: string, phases: readonly Phase[]): Promise<void>;
  /** Fulfillments of an order (any status). */
  ofOrder(orderId: string): Promise<ShippingRecord[]>;
  /** The pick tasks of a wave (where picked units came from). */
  tasksOf(waveId: string): Promise<StoredTask[]>;
}

/** Inventory's published functions, as shipping and cancellation use them. */
export interface ShippingInventory extends Pick<InventoryPort, 'moveBetweenBins'> {
  /** Consumes the reservation: `picks` say which bins the units leave. Idempotent by reservation. */
  consume(
    cmd: {
      reservationId: string;
      picks: BinPick[];
      reason: string;
    },
    ctx: CommandContext,
  ): Promise<{ applied: boolean }>;
  /** Releases the reservation: `released` (now or before), `consumed` (shipped first), or gone. */
  release(
    reservationId: string,
    reason: string,
    correlationId: string,
  ): Promise<'released' | 'consumed' | 'expired' | 'missing'>;
}

export interface ShippingPorts {
  shipments: ShipmentStore;
  inventory: ShippingInventory;
  /** Catalog barcodes per SKU (unknown SKUs absent). */
  barcodes(skus: readonly string[]): Promise<Map<string, string[]>>;
  tokens: TaskTokens;
  signals: WorkflowSignals;
  events: EventPublisher;
  clock: () => Date;
}

/** The phases done once `phase` is: it and every one before it. */
export const phasesThrough = (phase: Phase): Phase[] => PHASES.slice(0, PHASES.indexOf(phase) + 1);

/** The bin where picked units wait until they ship (inventory's implicit staging bin). */
export const STAGING_BIN = 'STAGING';
