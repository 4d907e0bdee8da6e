import { createHash } from 'node:crypto';
import { DomainError } from '#shared/errors';
import type { ReturnRecord, ReturnSettings } from '../schemas/returns.ts';
import type { Actor, ReturnPorts } from './ports.ts';
import { recordRefund, requestReturn, settingsOf } from './returns.ts';

/**
 * Returns and refunds that begin at the channel (Shopify `returns/request` and `refunds/create`,
 * WooCommerce refunds, through orders' intake) and the connectors' answers to the refunds we post.
 * Each is applied through the same use cases as the API's, as the channel's actor (no roles: a
 * return beyond policy waits for a supervisor).
 */

/** Shopify's return reasons (lower-cased) → our default reason codes. */
const CHANNEL_REASONS: Record<string, string> = {
  size_too_small: 'size_or_fit',
  size_too_large: 'size_or_fit',
  unwanted: 'no_longer_needed',
  style: 'no_longer_needed',
  color: 'no_longer_needed',
  not_as_described: 'not_as_described',
  wrong_item: 'wrong_item',
  defective: 'defective',
  damaged: 'damaged',
  other: 'other',
  unknown: 'other',
};

/** A channel's reason as one of the configured codes: mapped, as is, else `other`, else the first code. */
export function reasonCodeFor(
  channelReason: string | undefined,
  settings: Pick<ReturnSettings, 'reasonCodes'>,
) {
  const codes = settings.reasonCodes;
  const raw = (channelReason ?? '').trim().toLowerCase();
  const mapped = CHANNEL_REASONS[raw];
  if (mapped && codes.includes(mapped)) return mapped;
  if (codes.includes(raw)) return raw;
  return codes.includes('other') ? 'other' : (codes[0] as string);
}

const ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** Our return id for a channel's return or refund: `<channel>:<kind>-<id>` when it fits, else a hash. */
export function channelReturnIdOf(channelId: string, kind: 'return' | 'refund', ref: string): string {
  const plain = `${channelId}:${kind}-${ref}`;
  if (ID.test(plain)) return plain;
  return `ch:${createHash('sha256').update(`${channelId}\n${kind}\n${ref}`).digest('hex').slice(0, 40)}`;
}

const channelActor = (channelId: string, correlationId: string): Actor => ({
  username: `channel:${channelId}`,
  roles: [],
  correlationId,
});

/** Why a channel's request was not taken, for the log: a retry would not change it. */
export type ChannelOutcome =
  | { applied: true; returnId: string }
  | { applied: false; reason: string; returnId?: string };

const refused = (error: unknown, returnId?: string): ChannelOutcome => {
  // A 5xx (the return kept changing) is worth the bus's retry; a 4xx would be refused again.
  if (error instanceof DomainError && error.status < 500)
    return { applied: false, reason: `${error.code}: ${error.message}`, ...(returnId ? { returnId } : {}) };
  throw error;
};

/**
 * A channel's return request → an RMA (idempotent by the channel's return id), checked like any
 * request against what shipped, the window and the threshold. A request the checks refuse is
 * kept as a rejected return with the reason (EXCEEDS_SHIPPED, …), or, for an unknown order,
 * answered as refused; neither is retried.
 */
export async function requestFromChannel(
  ports: ReturnPorts,
  req: {
    channelId: string;
    orderId: string;
    channelReturnId: string;
    lines: { sku: string; quantity: number; reason?: string | undefined }[];
  },
  correlationId: string,
): Promise<ChannelOutcome> {
  const settings = await settingsOf(ports);
  const returnId = channelReturnIdOf(req.channelId, 'return', req.channelReturnId);
  try {
    // A request our checks refuse (more than shipped, nothing shipped yet) is kept as a rejected
    // return with the reason: the channel cannot be answered with a 4xx, and customer service
    // must see it (GET /api/returns?status=rejected).
    const { ret } = await requestReturn(
      ports,
      {
        returnId,
        orderId: req.orderId,
        lines: req.lines.map((l) => ({
          sku: l.sku,
          quantity: l.quantity,
          reason: reasonCodeFor(l.reason, settings),
        })),
      },
      channelActor(req.channelId, correlationId),
      { keepRefused: true },
    );
    if (ret.status === 'rejected') {
      return { applied: false, reason: ret.decision?.reason ?? 'rejected', returnId };
    }
    return { applied: true, returnId };
  } catch (error) {
    return refused(error, returnId);
  }
}

/** The last part of a channel id (`gid://shopify/Refund/12` and `12` are one refund). */
const tail = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

/**
 * The return a channel refund belongs to: one already carrying it (nothing to do), the one
 * our posted refund named (its marker `[qm:<returnId>#<attempt>]` in the note), else the order's
 * only open refund of the same amount.
 */
export function matchRefund(
  returns: readonly ReturnRecord[],
  refund: { channelRefundId: string; amount: number; note?: string | undefined },
): { known: ReturnRecord } | { target: ReturnRecord } | undefined {
  const known = returns.find(
    (r) => r.refund.reference && tail(r.refund.reference) === tail(refund.channelRefundId),
  );
  if (known) return { known };
  const marked = refund.note?.match(/\[qm:([A-Za-z0-9._:-]+)#\d+\]/)?.[1];
  const byMarker = marked ? returns.find((r) => r.returnId === marked) : undefined;
  if (byMarker) return { target: byMarker };
  const open = returns.filter(
    (r) =>
      r.status !== 'rejected' &&
      ['requested', 'failed'].includes(r.refund.status) &&
      r.refund.amount === refund.amount,
  );
  return open.length === 1 ? { target: open[0] as ReturnRecord } : undefined;
}

/**
 * A refund the channel records (`refunds/create`, a WooCommerce order's refund): the matching
 * return's refund becomes issued (RefundIssued, the workflow goes on); a refund made in the
 * channel's admin for units no return holds becomes a return of its own with its refund issued
 * (the units are still to come back through the dock). A refund of money only, with no return to
 * match, is not a return.
 */
export async function refundFromChannel(
  ports: ReturnPorts,
  refund: {
    channelId: string;
    orderId: string;
    channelRefundId: string;
    amount: number;
    note?: string | undefined;
    lines: { sku: string; quantity: number }[];
  },
  correlationId: string,
): Promise<ChannelOutcome> {
  const actor = channelActor(refund.channelId, correlationId);
  const issued = { status: 'issued' as const, reference: refund.channelRefundId };
  const match = matchRefund(await ports.store.byOrder(refund.orderId), refund);
  if (match && 'known' in match)
    return { applied: false, reason: 'already recorded', returnId: match.known.returnId };
  let returnId = match?.target.returnId;
  try {
    if (!returnId) {
      if (!refund.lines.length) return { applied: false, reason: 'a refund of money only matches no return' };
      const settings = await settingsOf(ports);
      returnId = channelReturnIdOf(refund.channelId, 'refund', refund.channelRefundId);
      await requestReturn(
        ports,
        {
          returnId,
          orderId: refund.orderId,
          lines: refund.lines.map((l) => ({ ...l, reason: reasonCodeFor(undefined, settings) })),
        },
        actor,
      );
    }
    await recordRefund(ports, returnId, issued, actor, { amount: refund.amount });
    return { applied: true, returnId };
  } catch (error) {
    return refused(error, returnId);
  }
}

/**
 * The connectors' answer to one refund attempt: recorded when it is the return's current attempt
 * (an answer to an attempt a retry replaced is history). issued → RefundIssued; failed →
 * RefundFailed, and `POST /api/returns/{id}/refund/retry` asks again.
 */
export async function refundPosted(
  ports: ReturnPorts,
  posted: {
    returnId: string;
    channelId: string;
    attempt: number;
    status: 'issued' | 'failed';
    reference?: string | undefined;
    message?: string | undefined;
  },
  correlationId: string,
): Promise<ChannelOutcome> {
  const r = await ports.store.get(posted.returnId);
  if (!r) return { applied: false, reason: 'no such return' };
  if (r.refund.attempt !== posted.attempt)
    return {
      applied: false,
      reason: `attempt ${posted.attempt} is not the current one`,
      returnId: r.returnId,
    };
  try {
    await recordRefund(
      ports,
      r.returnId,
      {
        status: posted.status,
        ...(posted.reference ? { reference: posted.reference } : {}),
        ...(posted.message ? { message: posted.message.slice(0, 500) } : {}),
      },
      { username: 'connectors', roles: [], correlationId },
    );
    return { applied: true, returnId: r.returnId };
  } catch (error) {
    return refused(error, r.returnId);
  }
}
