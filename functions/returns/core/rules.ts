import type { Role } from '#shared/roles';
import { ExceedsReceived, ExceedsShipped, type ShippedShortfall, UnknownReasonCode } from '../errors.ts';
import type {
  CreateReturnBody,
  Disposition,
  ReturnLine,
  ReturnRecord,
  ReturnSettings,
  ReturnStatus,
} from '../schemas/returns.ts';

/**
 * The pure rules of a return: what may be returned, what needs a supervisor, what the dock
 * found, what inspection may still decide, what is refunded. No I/O: the use cases read the facts.
 */

export const DEFAULT_SETTINGS: ReturnSettings = {
  reasonCodes: [
    'damaged',
    'defective',
    'wrong_item',
    'not_as_described',
    'size_or_fit',
    'no_longer_needed',
    'other',
  ],
  windowDays: 30,
  channelWindowDays: {},
  approvalThreshold: 50_000,
  autoApprove: true,
};

/** Who may approve beyond policy (outside the window, over the threshold). */
export const SUPERVISORS: readonly Role[] = ['admin', 'supervisor'];

const DAY_MS = 86_400_000;

export interface OrderFacts {
  channelId: string;
  lines: { sku: string; quantity: number; unitPrice: number | null; discount: number }[];
}

export interface ShippedFacts {
  shippedAt: string;
  lines: { sku: string; quantity: number }[];
}

/** Net price of one unit of a SKU on the order (its lines' price less discounts, over their units, rounded down). */
export function unitPrices(order: OrderFacts): Map<string, number> {
  const totals = new Map<string, { net: number; units: number }>();
  for (const l of order.lines) {
    const t = totals.get(l.sku) ?? { net: 0, units: 0 };
    t.net += Math.max(0, (l.unitPrice ?? 0) * l.quantity - l.discount);
    t.units += l.quantity;
    totals.set(l.sku, t);
  }
  return new Map([...totals].map(([sku, t]) => [sku, t.units ? Math.floor(t.net / t.units) : 0]));
}

export interface RequestVerdict {
  lines: ReturnLine[];
  value: number;
  outsideWindow: boolean;
  overThreshold: boolean;
  status: Extract<ReturnStatus, 'requested' | 'pending_approval' | 'approved' | 'rejected'>;
  /** Why a request was refused and kept as a rejected return (a channel's request, see `refusedRequest`). */
  refusal?: string;
}

/**
 * A request the checks refused, kept as a rejected return instead of being dropped: a channel's
 * return (it cannot be answered with a 4xx) stays visible to customer service with the reason.
 */
export function refusedRequest(
  body: Pick<CreateReturnBody, 'lines'>,
  order: OrderFacts,
  refusal: string,
): RequestVerdict {
  const prices = unitPrices(order);
  const lines: ReturnLine[] = body.lines.map((l) => ({
    sku: l.sku,
    quantity: l.quantity,
    reason: l.reason,
    unitPrice: prices.get(l.sku) ?? 0,
    received: 0,
    dispositions: {},
  }));
  const value = lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
  return { lines, value, outsideWindow: false, overThreshold: false, status: 'rejected', refusal };
}

/**
 * Checks a request against what shipped (minus what other returns of the order already hold),
 * the reason codes, the channel's window (from the order's last shipment) and the value
 * threshold. Throws UNKNOWN_REASON_CODE or EXCEEDS_SHIPPED; answers the status it starts in:
 * beyond policy it waits for a supervisor unless the requester is one.
 */
export function judgeRequest(
  body: Pick<CreateReturnBody, 'lines'>,
  facts: {
    order: OrderFacts;
    shipped: readonly ShippedFacts[];
    alreadyReturned: Readonly<Record<string, number>>;
    settings: ReturnSettings;
    now: Date;
    roles: readonly Role[];
  },
): RequestVerdict {
  const { settings } = facts;
  const unknown = [
    ...new Set(body.lines.map((l) => l.reason).filter((r) => !settings.reasonCodes.includes(r))),
  ];
  if (unknown.length) throw new UnknownReasonCode(unknown, settings.reasonCodes);

  const shippedBySku = new Map<string, number>();
  for (const parcel of facts.shipped)
    for (const l of parcel.lines) shippedBySku.set(l.sku, (shippedBySku.get(l.sku) ?? 0) + l.quantity);
  const short: ShippedShortfall[] = [];
  for (const l of body.lines) {
    const shipped = shippedBySku.get(l.sku) ?? 0;
    const alreadyReturned = facts.alreadyReturned[l.sku] ?? 0;
    const returnable = Math.max(0, shipped - alreadyReturned);
    if (l.quantity > returnable)
      short.push({ sku: l.sku, requested: l.quantity, shipped, alreadyReturned, returnable });
  }
  if (short.length) throw new ExceedsShipped(short);

  const prices = unitPrices(facts.order);
  const lines: ReturnLine[] = body.lines.map((l) => ({
    sku: l.sku,
    quantity: l.quantity,
    reason: l.reason,
    unitPrice: prices.get(l.sku) ?? 0,
    received: 0,
    dispositions: {},
  }));
  const value = lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
  const lastShipped = Math.max(...facts.shipped.map((s) => Date.parse(s.shippedAt)));
  const windowDays = settings.channelWindowDays[facts.order.channelId] ?? settings.windowDays;
  const outsideWindow = facts.now.getTime() > lastShipped + windowDays * DAY_MS;
  const overThreshold = value > settings.approvalThreshold;
  const isSupervisor = facts.roles.some((r) => SUPERVISORS.includes(r));
  const status =
    outsideWindow || overThreshold
      ? isSupervisor
        ? 'approved'
        : 'pending_approval'
      : settings.autoApprove || isSupervisor
        ? 'approved'
        : 'requested';
  return { lines, value, outsideWindow, overThreshold, status };
}

/** Why a return needs a supervisor, in words for the error; empty when it does not. */
export function supervisorReasons(r: Pick<ReturnRecord, 'outsideWindow' | 'overThreshold'>): string[] {
  return [
    ...(r.outsideWindow ? ['outside the return window'] : []),
    ...(r.overThreshold ? ['above the value threshold'] : []),
  ];
}

/** Units per SKU a return holds against its order's shipped units (a rejected one holds none). */
export function heldUnits(r: Pick<ReturnRecord, 'lines' | 'status'>): Record<string, number> {
  if (r.status === 'rejected') return {};
  return Object.fromEntries(r.lines.filter((l) => l.quantity > 0).map((l) => [l.sku, l.quantity]));
}

/**
 * What the dock found against what the RMA authorises: each SKU's received units (up to the
 * authorised quantity) and the rest as unexpected (a SKU not on the RMA, or more than it says).
 */
export function sortReceipt(
  authorised: readonly Pick<ReturnLine, 'sku' | 'quantity'>[],
  found: readonly { sku: string; quantity: number }[],
): { expected: Map<string, number>; unexpected: { sku: string; quantity: number }[] } {
  const expected = new Map<string, number>();
  const unexpected: { sku: string; quantity: number }[] = [];
  for (const f of found) {
    const allowed = authorised.find((a) => a.sku === f.sku)?.quantity ?? 0;
    const within = Math.min(allowed, f.quantity);
    if (within > 0) expected.set(f.sku, within);
    if (f.quantity > within) unexpected.push({ sku: f.sku, quantity: f.quantity - within });
  }
  return { expected, unexpected };
}

const dispositioned = (l: Pick<ReturnLine, 'dispositions'>) =>
  Object.values(l.dispositions).reduce((s: number, n) => s + (n ?? 0), 0);

/** Units of a line received but not yet given a disposition. */
export const leftToInspect = (l: Pick<ReturnLine, 'received' | 'dispositions'>) =>
  l.received - dispositioned(l);

/**
 * Applies an inspection to the lines: each SKU's units must be received and not yet decided
 * (EXCEEDS_RECEIVED otherwise, nothing applied). Answers the new lines and whether every received
 * unit now has its disposition.
 */
export function applyInspection(
  lines: readonly ReturnLine[],
  inspected: readonly { sku: string; quantity: number; disposition: Disposition }[],
): { lines: ReturnLine[]; complete: boolean } {
  const next = lines.map((l) => ({ ...l, dispositions: { ...l.dispositions } }));
  const given = new Map<string, number>();
  for (const i of inspected) given.set(i.sku, (given.get(i.sku) ?? 0) + i.quantity);
  const over = [...given]
    .map(([sku, requested]) => {
      const line = next.find((l) => l.sku === sku);
      return { sku, requested, left: line ? leftToInspect(line) : 0 };
    })
    .filter((o) => o.requested > o.left);
  if (over.length) throw new ExceedsReceived(over);
  for (const i of inspected) {
    const line = next.find((l) => l.sku === i.sku) as ReturnLine;
    line.dispositions[i.disposition] = (line.dispositions[i.disposition] ?? 0) + i.quantity;
  }
  return { lines: next, complete: next.every((l) => leftToInspect(l) === 0) };
}

/**
 * The refund: each authorised line's received units (unexpected ones are not refunded) at their
 * net price. An exchange is a swap: as many received units as the exchange replaces are not
 * refunded, taken from the lines in the order of the request.
 */
export function refundLines(
  lines: readonly ReturnLine[],
  exchange?: { lines: readonly { quantity: number }[] },
): { sku: string; quantity: number; amount: number }[] {
  let swapped = (exchange?.lines ?? []).reduce((s, l) => s + l.quantity, 0);
  return lines
    .map((l) => {
      const back = Math.min(l.quantity, l.received);
      const kept = Math.min(back, swapped);
      swapped -= kept;
      const quantity = back - kept;
      return { sku: l.sku, quantity, amount: quantity * l.unitPrice };
    })
    .filter((l) => l.quantity > 0);
}

/** Statuses from which the workflow's phase is reached. */
export function phaseReached(
  r: Pick<ReturnRecord, 'status' | 'refund'>,
  phase: 'received' | 'inspected' | 'refunded',
) {
  if (phase === 'received') return ['received', 'inspected', 'completed'].includes(r.status);
  if (phase === 'inspected') return ['inspected', 'completed'].includes(r.status);
  return r.refund.status === 'issued' || r.refund.status === 'not_required';
}
