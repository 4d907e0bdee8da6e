import type { EventPublisher } from '#shared/events';
import { TransferConflict, TransferNotFound, TransferShort, UnknownReference } from '../errors.ts';
import { TransferReceived } from '../events/transfer-received.ts';
import { TransferShipped } from '../events/transfer-shipped.ts';
import {
  type CreateTransferBody,
  DEFAULT_TRANSFER_DAYS,
  type ReceiveTransferBody,
  type Transfer,
  type TransferInTransit,
  type TransferStatus,
  type TransferVariance,
} from '../schemas/transfers.ts';
import { fingerprintOf, inboundEvent } from './fingerprint.ts';
import type { Actor } from './ports.ts';

/** Transfers in the table (keys in ../keys.ts). Writes answer false when their condition failed. */
export interface TransferStore {
  transfer(transferId: string): Promise<Transfer | undefined>;
  /** Creates the transfer unless its id exists. */
  create(transfer: Transfer): Promise<boolean>;
  /** Shipped on the version read, with one in-transit item per line (the index by SKU). */
  ship(transfer: Transfer, readVersion: number): Promise<boolean>;
  /** Writes the transfer on the version read (receiving started, or finished: in-transit items deleted). */
  save(transfer: Transfer, readVersion: number, opts?: { endTransit?: boolean }): Promise<boolean>;
  /** Transfers in a status, newest first, paged. */
  list(
    status: TransferStatus,
    limit: number,
    cursor?: string,
  ): Promise<{ items: Transfer[]; cursor?: string }>;
  /** Shipped lines on their way, by SKU (an index read: a transfer shipped a moment ago may be missing). */
  inTransit(sku: string): Promise<TransferInTransit[]>;
}

/** What a reservation answer means to a shipment (inventory's reservation task, by id). */
export type StockAnswer =
  | { status: 'ok' }
  | { status: 'refused'; code: string; message: string; details?: unknown };

export interface TransferPorts {
  transfers: TransferStore;
  catalog: { kinds(skus: readonly string[]): Promise<Map<string, 'item' | 'kit'>> };
  locations: { exists(locationId: string): Promise<boolean> };
  /** Inventory through its api.ts: every step idempotent by its reservation id or key. */
  inventory: {
    /** The reservation's status, or undefined when it was never made. */
    reservation(reservationId: string): Promise<string | undefined>;
    reserve(
      reservationId: string,
      lines: { sku: string; locationId: string; quantity: number }[],
      who: Actor,
    ): Promise<StockAnswer>;
    consume(reservationId: string, reason: string, who: Actor): Promise<StockAnswer>;
    release(reservationId: string, reason: string, who: Actor): Promise<void>;
    changeInTransit(
      cmd: { sku: string; locationId: string; delta: number; reason: string; idempotencyKey: string },
      who: Actor,
    ): Promise<void>;
    receive(
      cmd: { sku: string; locationId: string; quantity: number; reason: string; idempotencyKey: string },
      who: Actor,
    ): Promise<void>;
  };
  events: EventPublisher;
  clock: () => Date;
}

const DAY_MS = 86_400_000;

/** The one reservation a transfer ships with: reserving and consuming it again changes nothing. */
export const transferReservationId = (transferId: string) => `xfer:${transferId}`;

/** A stock movement key per transfer, step and SKU (8–128 characters whatever the ids' lengths). */
const stepKey = (transferId: string, step: 'transit' | 'arrived' | 'in', sku: string) =>
  `xfer:${step}:${fingerprintOf([transferId, sku]).slice(0, 40)}`;

const definition = (t: {
  fromLocationId: string;
  toLocationId: string;
  lines: { sku: string; quantity: number }[];
}) =>
  fingerprintOf({
    from: t.fromLocationId,
    to: t.toLocationId,
    lines: [...t.lines].sort((a, b) => a.sku.localeCompare(b.sku)).map((l) => [l.sku, l.quantity]),
  });

/**
 * Creates a transfer (`created`), idempotent by transferId: the same body again answers the stored
 * transfer (`created: false`), another body 409 TRANSFER_CONFLICT. Both locations must exist and
 * every SKU be a stocked item (a kit is moved by its components).
 */
export async function createTransfer(
  ports: TransferPorts,
  body: CreateTransferBody,
  who: Actor,
): Promise<{ transfer: Transfer; created: boolean }> {
  const fingerprint = definition(body);
  const existing = await ports.transfers.transfer(body.transferId);
  if (existing) return { transfer: sameOrConflict(existing, fingerprint), created: false };
  const [fromOk, toOk, kinds] = await Promise.all([
    ports.locations.exists(body.fromLocationId),
    ports.locations.exists(body.toLocationId),
    ports.catalog.kinds(body.lines.map((l) => l.sku)),
  ]);
  const missing = [body.fromLocationId, body.toLocationId].filter((_, i) => !(i === 0 ? fromOk : toOk));
  if (missing.length)
    throw new UnknownReference('UNKNOWN_LOCATION', `Unknown location(s): ${missing.join(', ')}`, { missing });
  const unknown = body.lines.filter((l) => !kinds.has(l.sku)).map((l) => l.sku);
  if (unknown.length)
    throw new UnknownReference('UNKNOWN_SKU', `Unknown SKU(s): ${unknown.join(', ')}`, { skus: unknown });
  const kits = body.lines.filter((l) => kinds.get(l.sku) === 'kit').map((l) => l.sku);
  if (kits.length)
    throw new UnknownReference('SKU_IS_KIT', `Kits are moved by their components: ${kits.join(', ')}`, {
      skus: kits,
    });
  const transfer: Transfer = {
    transferId: body.transferId,
    fromLocationId: body.fromLocationId,
    toLocationId: body.toLocationId,
    lines: body.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    status: 'created',
    fingerprint,
    ...(body.expectedAt ? { expectedAt: body.expectedAt } : {}),
    createdAt: ports.clock().toISOString(),
    createdBy: who.actor,
    version: 1,
  };
  if (await ports.transfers.create(transfer)) return { transfer, created: true };
  // Another request created it meanwhile: the same rule applies to what it wrote.
  return createTransfer(ports, body, who);
}

function sameOrConflict(existing: Transfer, fingerprint: string): Transfer {
  if (existing.fingerprint !== fingerprint) {
    throw new TransferConflict(
      'TRANSFER_CONFLICT',
      `Transfer ${existing.transferId} exists with different contents; use a new id for a different transfer`,
      { transferId: existing.transferId },
    );
  }
  return existing;
}

async function getTransfer(ports: TransferPorts, transferId: string): Promise<Transfer> {
  const transfer = await ports.transfers.transfer(transferId);
  if (!transfer) throw new TransferNotFound(transferId);
  return transfer;
}

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * Ships a created transfer, every step idempotent so a retry after any crash finishes it:
 * 1. the units are reserved at the source, all lines in one reservation (all or nothing: a
 *    shortage answers 409 INSUFFICIENT_STOCK and nothing is shipped), then consumed out of its
 *    bins — the ledger shows them leaving the source;
 * 2. each SKU goes in transit at the destination (inventory's inTransit bucket, keyed per SKU);
 * 3. the transfer is `shipped` with its expected day (the body's, else the transfer's, else the
 *    shipping day + 2), its lines in the in-transit index, and TransferShipped is published.
 * A shipped (or received) transfer answers as it is and re-sends the identical event.
 */
export async function shipTransfer(
  ports: TransferPorts,
  transferId: string,
  opts: { expectedAt?: string },
  who: Actor,
): Promise<Transfer> {
  const transfer = await getTransfer(ports, transferId);
  if (transfer.status !== 'created') {
    await publishShipped(ports, transfer, who);
    return transfer;
  }
  const reservationId = transferReservationId(transferId);
  const reason = `transfer ${transferId} to ${transfer.toLocationId}`;
  const status = await ports.inventory.reservation(reservationId);
  if (status !== 'consumed') {
    if (status !== 'open') {
      const reserved = await ports.inventory.reserve(
        reservationId,
        transfer.lines.map((l) => ({
          sku: l.sku,
          locationId: transfer.fromLocationId,
          quantity: l.quantity,
        })),
        who,
      );
      if (reserved.status === 'refused')
        throw new TransferShort(transferId, reserved.code, reserved.message, reserved.details);
    }
    const consumed = await ports.inventory.consume(reservationId, reason, who);
    if (consumed.status === 'refused') {
      // The bins do not hold what the position says (a broken invariant): give the units back.
      await ports.inventory.release(reservationId, `${reason}: not shipped (${consumed.code})`, who);
      throw new TransferShort(transferId, consumed.code, consumed.message, consumed.details);
    }
  }
  for (const line of transfer.lines) {
    await ports.inventory.changeInTransit(
      {
        sku: line.sku,
        locationId: transfer.toLocationId,
        delta: line.quantity,
        reason: `transfer ${transferId} from ${transfer.fromLocationId} in transit`,
        idempotencyKey: stepKey(transferId, 'transit', line.sku),
      },
      who,
    );
  }
  const now = ports.clock().toISOString();
  const shipped: Transfer = {
    ...transfer,
    status: 'shipped',
    shippedAt: now,
    shippedBy: who.actor,
    expectedAt: opts.expectedAt ?? transfer.expectedAt ?? addDays(now.slice(0, 10), DEFAULT_TRANSFER_DAYS),
    version: transfer.version + 1,
  };
  if (!(await ports.transfers.ship(shipped, transfer.version))) {
    // A concurrent ship wrote first; every inventory step above was the same keyed step.
    return shipTransfer(ports, transferId, opts, who);
  }
  await publishShipped(ports, shipped, who);
  return shipped;
}

async function publishShipped(ports: TransferPorts, t: Transfer, who: Actor) {
  if (!t.shippedAt || !t.expectedAt) return;
  await ports.events.publish([
    inboundEvent(
      TransferShipped,
      {
        transferId: t.transferId,
        fromLocationId: t.fromLocationId,
        toLocationId: t.toLocationId,
        lines: t.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        shippedAt: t.shippedAt,
        expectedAt: t.expectedAt,
      },
      t.transferId,
      t.shippedAt,
      who.correlationId,
    ),
  ]);
}

/** received − shipped per shipped SKU (a SKU left out of the count arrived with 0 units). */
export function transferVariances(
  t: Pick<Transfer, 'lines'>,
  counted: ReceiveTransferBody['lines'],
): TransferVariance[] {
  const got = new Map(counted.map((l) => [l.sku, l.quantity]));
  return t.lines.map((l) => {
    const received = got.get(l.sku) ?? 0;
    return { sku: l.sku, shipped: l.quantity, received, variance: received - l.quantity };
  });
}

/**
 * Receives a shipped transfer once, with what arrived per SKU. The count is recorded first
 * (`receiving`, with its hash), then per SKU: everything shipped leaves inTransit at the
 * destination and what arrived is received into its RECEIVING bin (each keyed per SKU); then the
 * transfer is `received` with its variances, off the in-transit index, and TransferReceived is
 * published. The same count again answers the received transfer (a crashed attempt is finished);
 * another count 409 TRANSFER_ALREADY_RECEIVED; before shipping 409 TRANSFER_NOT_SHIPPED; a SKU
 * that was not shipped 409 NOT_ON_TRANSFER with nothing written.
 */
export async function receiveTransfer(
  ports: TransferPorts,
  transferId: string,
  body: ReceiveTransferBody,
  who: Actor,
): Promise<Transfer> {
  const transfer = await getTransfer(ports, transferId);
  const shipped = new Set(transfer.lines.map((l) => l.sku));
  const foreign = body.lines.filter((l) => !shipped.has(l.sku)).map((l) => l.sku);
  if (foreign.length) {
    throw new TransferConflict(
      'NOT_ON_TRANSFER',
      `Not shipped on transfer ${transferId}: ${foreign.join(', ')}; nothing received`,
      { transferId, skus: foreign },
    );
  }
  const variances = transferVariances(transfer, body.lines);
  const fingerprint = fingerprintOf(variances.map((v) => [v.sku, v.received]));
  if (transfer.status === 'created') {
    throw new TransferConflict('TRANSFER_NOT_SHIPPED', `Transfer ${transferId} has not shipped yet`, {
      transferId,
    });
  }
  if (transfer.status !== 'shipped' && transfer.receiveFingerprint !== fingerprint) {
    throw new TransferConflict(
      'TRANSFER_ALREADY_RECEIVED',
      `Transfer ${transferId} was received with another count`,
      { transferId, variances: transfer.variances },
    );
  }
  if (transfer.status === 'received') {
    await publishReceived(ports, transfer, who);
    return transfer;
  }
  let current = transfer;
  if (transfer.status === 'shipped') {
    current = {
      ...transfer,
      status: 'receiving',
      receiveFingerprint: fingerprint,
      variances,
      version: transfer.version + 1,
    };
    if (!(await ports.transfers.save(current, transfer.version)))
      return receiveTransfer(ports, transferId, body, who);
  }
  for (const v of variances) {
    await ports.inventory.changeInTransit(
      {
        sku: v.sku,
        locationId: current.toLocationId,
        delta: -v.shipped,
        reason: `transfer ${transferId} arrived (${v.received} of ${v.shipped})`,
        idempotencyKey: stepKey(transferId, 'arrived', v.sku),
      },
      who,
    );
    if (v.received > 0) {
      await ports.inventory.receive(
        {
          sku: v.sku,
          locationId: current.toLocationId,
          quantity: v.received,
          reason: `transfer ${transferId} from ${current.fromLocationId}`,
          idempotencyKey: stepKey(transferId, 'in', v.sku),
        },
        who,
      );
    }
  }
  const receivedAt = ports.clock().toISOString();
  const done: Transfer = {
    ...current,
    status: 'received',
    lines: current.lines.map((l) => ({
      ...l,
      received: variances.find((v) => v.sku === l.sku)?.received ?? 0,
    })),
    receivedAt,
    receivedBy: who.actor,
    version: current.version + 1,
  };
  if (!(await ports.transfers.save(done, current.version, { endTransit: true })))
    return receiveTransfer(ports, transferId, body, who);
  await publishReceived(ports, done, who);
  return done;
}

async function publishReceived(ports: TransferPorts, t: Transfer, who: Actor) {
  if (!t.receivedAt || !t.variances) return;
  await ports.events.publish([
    inboundEvent(
      TransferReceived,
      {
        transferId: t.transferId,
        fromLocationId: t.fromLocationId,
        toLocationId: t.toLocationId,
        lines: t.variances,
        receivedAt: t.receivedAt,
      },
      t.transferId,
      t.receivedAt,
      who.correlationId,
    ),
  ]);
}
