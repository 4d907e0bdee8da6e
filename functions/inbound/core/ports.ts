import type { EventPublisher } from '#shared/events';
import type { Asn, PoLine, PoStatus, PurchaseOrder, Supplier } from '../schemas/inbound.ts';
import type { PutawayTask } from '../schemas/putaway.ts';
import type { Receipt, ReceiptLine, ScanRecord } from '../schemas/receiving.ts';

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface PoFilter {
  status?: PoStatus;
  supplierId?: string;
  locationId?: string;
}

/** An ASN's claim on one PO line: `quantity` more units advised, refused unless `advised <= max` before. */
export interface AdviseLine {
  sku: string;
  quantity: number;
  max: number;
}

/** Inbound's items in the table (keys in ../keys.ts). Writes answer false when their condition failed. */
export interface InboundStore {
  getSupplier(supplierId: string): Promise<Supplier | undefined>;
  putSupplier(supplier: Supplier): Promise<void>;
  listSuppliers(): Promise<Supplier[]>;

  /** Header and lines in one transaction, refused (false) when the poId exists. */
  placePurchaseOrder(po: PurchaseOrder, lines: PoLine[]): Promise<boolean>;
  purchaseOrder(poId: string): Promise<{ po: PurchaseOrder; lines: PoLine[] } | undefined>;
  listPurchaseOrders(filter: PoFilter, limit: number, cursor?: string): Promise<Page<PurchaseOrder>>;
  /** Cancels on the version read and takes every line out of the incoming index; false when it changed meanwhile. */
  cancelPurchaseOrder(
    po: PurchaseOrder,
    skus: readonly string[],
    change: { reason: string; at: string },
  ): Promise<boolean>;

  /**
   * The ASN, conditional on its id being new, the PO still receivable and each line's `advised`
   * leaving room; one transaction. False when any condition failed.
   */
  putAsn(asn: Asn, advise: readonly AdviseLine[]): Promise<boolean>;
  getAsn(asnId: string): Promise<Asn | undefined>;
  asnIdsOf(poId: string): Promise<string[]>;

  /** Open lines of every PO still expecting the SKU (eventually consistent: an index read). */
  incomingLines(sku: string): Promise<PoLine[]>;
}

export interface InboundPorts {
  store: InboundStore;
  /** SKUs the catalog knows, each with whether it is a kit (kits are sold, never bought). */
  catalog: { kinds(skus: readonly string[]): Promise<Map<string, 'item' | 'kit'>> };
  locations: { exists(locationId: string): Promise<boolean> };
  events: EventPublisher;
  clock: () => Date;
}

export interface Actor {
  actor: string;
  correlationId: string;
}

/** A receipt as read: its header (absent before the first scan or close) and its counts per SKU. */
export interface ReceiptState {
  receipt?: Receipt;
  lines: ReceiptLine[];
}

/**
 * A scan to write in one transaction: the scan record (new id only), the receipt (not closed;
 * created open with the first scan time), the receipt line (`received <= maxBefore` before, for
 * SKUs on the ASN) and the PO line (`received <= poMaxBefore` before, PO still receivable).
 */
export interface ScanWrite {
  receipt: { asnId: string; poId: string; locationId: string };
  scan: ScanRecord;
  limits?: { maxBefore: number; poMaxBefore: number };
}

/** Closing: the receipt on the version read, and the PO's status when it is still receivable. */
export interface CloseWrite {
  receipt: Receipt;
  /** The version the counts were read at; undefined when no receipt existed. */
  readVersion?: number;
  po?: { po: PurchaseOrder; status: PoStatus; fullSkus: readonly string[] };
}

/** Receiving's items in the table (keys in ../keys.ts). Writes answer false when a condition failed. */
export interface ReceivingStore {
  receipt(asnId: string): Promise<ReceiptState>;
  scan(asnId: string, scanId: string): Promise<ScanRecord | undefined>;
  recordScan(write: ScanWrite): Promise<boolean>;
  /** Scans of SKUs on the ASN whose units have not reached inventory yet (see markStocked). */
  unstockedScans(asnId: string): Promise<ScanRecord[]>;
  /** Records that a scan's units are in inventory (bookkeeping, after the idempotent stock write). */
  markStocked(asnId: string, scanId: string, at: string): Promise<void>;
  close(write: CloseWrite): Promise<boolean>;
}

export interface ReceivingPorts {
  store: InboundStore;
  receipts: ReceivingStore;
  /** Catalog barcodes per SKU; SKUs the catalog does not know are absent. */
  barcodes(skus: readonly string[]): Promise<Map<string, string[]>>;
  /** Inventory's goods-in, idempotent by key. */
  inventory: {
    receive(
      cmd: {
        sku: string;
        locationId: string;
        quantity: number;
        bucket: 'available' | 'damaged';
        reason: string;
        idempotencyKey: string;
      },
      who: Actor,
    ): Promise<void>;
  };
  /** Where a good scan's putaway task is created (idempotent by taskId). */
  putaway: Pick<PutawayStore, 'create'>;
  events: EventPublisher;
  clock: () => Date;
}

/** Putaway tasks in the table (keys in ../keys.ts). */
export interface PutawayStore {
  /** Creates the task unless its taskId exists (a retry of the scan or the close). */
  create(task: PutawayTask): Promise<void>;
  task(taskId: string): Promise<PutawayTask | undefined>;
  /** Open tasks of a location, oldest first (an index read: a task created a moment ago may be missing). */
  openAt(locationId: string): Promise<PutawayTask[]>;
  /**
   * Records on the open task the bin its units are about to move to (before the move), so a
   * retry after a crash knows they may be there already; false when it was no longer open.
   */
  claim(taskId: string, binId: string): Promise<boolean>;
  /** Marks the open task done; false when it was no longer open. */
  complete(task: PutawayTask): Promise<boolean>;
  /**
   * Takes the bin's putaway lease for `owner` until `now + ms`; false while another owner holds
   * one that has not expired (an expired one, left by a crashed holder, is taken over).
   */
  leaseBin(locationId: string, binId: string, owner: string, now: Date, ms: number): Promise<boolean>;
  /** Gives the bin's lease back if `owner` still holds it (a lease taken over is left alone). */
  releaseBin(locationId: string, binId: string, owner: string): Promise<void>;
  /** Every SKU putaway has moved (or is about to move) into the bin, read consistently. */
  skusPutInto(locationId: string, binId: string): Promise<string[]>;
  /** Records that `sku` is about to move into the bin (before the move, under the lease). */
  notePutInto(locationId: string, binId: string, sku: string): Promise<void>;
}

/** A bin as putaway sees it: inventory's bin with what is in it. */
export interface PutawayBin {
  binId: string;
  zone?: string;
  walkOrder: number;
  type: string;
  capacity?: number;
  barcode?: string;
  contents: { sku: string; quantity: number }[];
}

export interface PutawayPorts {
  tasks: PutawayStore;
  /** The receipt a task came from (its firstScanAt starts dock-to-stock). */
  receipts: Pick<ReceivingStore, 'receipt'>;
  /** Inventory's bins of a location, and its bin move (idempotent by key; 409 BIN_SHORT). */
  bins: {
    at(locationId: string): Promise<PutawayBin[]>;
    /** Units of these SKUs in the bin now, each read consistently (not from an index). */
    held(locationId: string, binId: string, skus: readonly string[]): Promise<number>;
    move(
      cmd: {
        sku: string;
        locationId: string;
        fromBinId: string;
        toBinId: string;
        quantity: number;
        idempotencyKey: string;
        reason: string;
      },
      who: Actor,
    ): Promise<void>;
  };
  events: EventPublisher;
  clock: () => Date;
  /** The zone to prefer per SKU, from its ABC class and the count settings' `putawayZones`. */
  zones(skus: readonly string[]): Promise<Map<string, string>>;
  /** Waits between attempts at a busy bin's lease. */
  pause: (ms: number) => Promise<void>;
}
