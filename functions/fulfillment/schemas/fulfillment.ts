import { z } from 'zod';

/**
 * The fulfillment context's records. One fulfillment per released order × node (its id is the
 * order release's reservation id for that node, so a redelivered OrderReleased finds it); a wave
 * groups fulfillments of one location by carrier cutoff; a pick task is one bin × SKU of a wave,
 * batched over the wave's fulfillments.
 */
export const FULFILLMENT_STATUSES = [
  'released',
  'waved',
  'picking',
  'picked',
  'packed',
  'shipped',
  'cancelled',
] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

export const BIN_TYPES = ['pick', 'bulk', 'receiving', 'staging'] as const;
export type BinType = (typeof BIN_TYPES)[number];

/** One physical SKU of a fulfillment (a kit line appears as its components, with `kitSku`). */
export interface FulfillmentLine {
  /** The order line this unit belongs to. */
  lineId: string;
  sku: string;
  kitSku?: string;
  /** For a kit component: its units in one kit (a short of n units shorts ceil(n / unitsPerKit) kits). */
  unitsPerKit?: number;
  quantity: number;
  picked: number;
  packed: number;
  /** Units written off by a short pick and sent back to order release. */
  shorted: number;
}

export interface PackageInput {
  weightGrams: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
}

export interface Shipment {
  shipmentId: string;
  carrier: string;
  service: string;
  trackingNumber: string;
  trackingUrl?: string;
  shippedAt: string;
  shippedBy: string;
}

export interface Fulfillment {
  fulfillmentId: string;
  orderId: string;
  channelId: string;
  externalId: string;
  locationId: string;
  reservationId: string;
  serviceLevel: string;
  /** Higher first when cutoffs tie (overnight 3, expedited 2, standard 1, pickup 0). */
  priority: number;
  status: FulfillmentStatus;
  lines: FulfillmentLine[];
  /** The carrier cutoff this fulfillment must leave by (ISO, UTC); absent when no carrier serves it. */
  cutoffAt?: string;
  carrierId?: string;
  serviceCode?: string;
  /** Set when CutoffAtRisk was raised for the current cutoff. */
  atRisk?: boolean;
  waveId?: string;
  packages?: PackageInput[];
  shipment?: Shipment;
  /** An exception for a supervisor (a phase that timed out, a failed step). */
  exception?: { code: string; message: string; at: string; phase?: string };
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const WAVE_STATUSES = ['released', 'picking', 'picked', 'done', 'cancelled'] as const;
export type WaveStatus = (typeof WAVE_STATUSES)[number];

export interface Wave {
  waveId: string;
  locationId: string;
  status: WaveStatus;
  cutoffAt?: string;
  fulfillmentIds: string[];
  taskCount: number;
  createdAt: string;
  createdBy: string;
}

export const PICK_TASK_STATUSES = ['open', 'claimed', 'done', 'short'] as const;
export type PickTaskStatus = (typeof PICK_TASK_STATUSES)[number];

export interface PickTask {
  taskId: string;
  waveId: string;
  locationId: string;
  binId: string;
  /** What the associate scans at the bin: its barcode, else its id. */
  binCode: string;
  zone: string;
  walkOrder: number;
  sku: string;
  /** Codes that identify a unit of the SKU: its barcodes and the SKU code itself. */
  barcodes: string[];
  quantity: number;
  pickedQuantity: number;
  status: PickTaskStatus;
  /** Which fulfillments the units go to (orders batched into one task). */
  allocations: { fulfillmentId: string; lineId: string; quantity: number; picked: number }[];
  claimedBy?: string;
  claimedAt?: string;
  /** Set once the claimant scanned the bin; item scans before it are refused (SCAN_BIN_FIRST). */
  binScannedAt?: string;
}

/** `PUT /api/carriers/{carrierId}` */
export const carrierBody = z.object({
  name: z.string().min(1).max(200),
  services: z
    .array(
      z.object({
        code: z.string().min(1).max(64),
        serviceLevels: z.array(z.string().min(1).max(64)).min(1).max(20),
        cutoffs: z
          .array(
            z.object({
              locationId: z.string().min(1).max(64),
              time: z
                .string()
                .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm, 24-hour, in the location’s time zone'),
              /** ISO weekdays the cutoff applies on (1 = Monday … 7 = Sunday). @default every day */
              days: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
            }),
          )
          .max(100),
      }),
    )
    .min(1)
    .max(50),
});
export type CarrierBody = z.infer<typeof carrierBody>;
export interface Carrier extends CarrierBody {
  carrierId: string;
  updatedAt: string;
  updatedBy: string;
}
