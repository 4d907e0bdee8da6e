import type { Channel } from '#orders/api';
import { currencyExponent } from '#shared/currency';
import { ChannelCallFailed } from './ports.ts';

/** What a channel is asked to refund (from returns' RefundRequested): one attempt of one return. */
export interface RefundNotice {
  returnId: string;
  orderId: string;
  channelId: string;
  /** The order's id on the channel. */
  externalId: string;
  attempt: number;
  /** Minor units of `currency`. */
  amount: number;
  currency: string | null;
  lines: { sku: string; quantity: number; amount: number }[];
}

/** The channel's answer to one refund attempt, as recorded on the claim and announced. */
export type RefundOutcome = { status: 'issued'; reference: string } | { status: 'failed'; message: string };

/** Creates the refund on a channel; answers the channel's refund id. */
export interface RefundWriter {
  refund(channel: Channel, token: string, notice: RefundNotice): Promise<string>;
}

/** The once-per-attempt record: claimed before the channel is called, settled with its outcome after. */
export interface RefundClaims {
  /** Held: this caller now holds the attempt. Not held: someone holds it, or it is settled (its outcome). */
  claim(
    channelId: string,
    refundKey: string,
    owner: string,
    nowMs: number,
    leaseMs: number,
  ): Promise<{ held: true } | { held: false; outcome?: RefundOutcome }>;
  settle(
    channelId: string,
    refundKey: string,
    owner: string,
    outcome: RefundOutcome,
    at: string,
  ): Promise<void>;
  /** A call that failed for now gives the attempt back at once, so the bus's retry can claim it. */
  release(channelId: string, refundKey: string, owner: string): Promise<void>;
}

export interface RefundPorts {
  channels: { get(channelId: string): Promise<Channel | undefined> };
  secrets: { get(name: string): Promise<string | undefined> };
  claims: RefundClaims;
  writers: Partial<Record<Channel['type'], RefundWriter>>;
  /** Tells returns the outcome (ChannelRefundPosted; its id derives from the attempt). */
  announce(notice: RefundNotice, outcome: RefundOutcome, at: string, correlationId: string): Promise<void>;
  clock: () => Date;
  leaseMs: number;
  newOwner: () => string;
}

export type RefundPostOutcome = 'issued' | 'failed' | 'already' | 'not-connected';

/** The attempt's key on the claim: a retry after a failure is a new attempt, so a new refund. */
export const refundKeyOf = (n: Pick<RefundNotice, 'returnId' | 'attempt'>) => `${n.returnId}#${n.attempt}`;

/**
 * Posts one refund attempt to the channel once. The claim is taken before the call, so
 * deliveries of the same attempt racing each other call at most once (one that finds the attempt
 * held is thrown back to the bus to try later); one that finds the attempt settled announces its outcome again (same event id: returns records it once). A refusal by the
 * channel (4xx, a validation error) settles the attempt as failed with the channel's message; an
 * outage releases the claim and is thrown, so the bus retries. A crash after the call but before
 * `settle` leaves an expired claim: the writers look for the attempt's marker on the channel's
 * refunds before creating one. A channel without a refund API connection (a custom storefront)
 * is left to finance, who record the outcome by `POST /api/returns/{id}/refund`.
 */
export async function postRefund(
  ports: RefundPorts,
  notice: RefundNotice,
  correlationId: string,
): Promise<RefundPostOutcome> {
  const channel = await ports.channels.get(notice.channelId);
  const writer = channel ? ports.writers[channel.type] : undefined;
  const tokenRef = channel?.connection?.tokenRef;
  if (!channel || !writer || !tokenRef) return 'not-connected';
  const token = await ports.secrets.get(tokenRef);
  if (!token) return 'not-connected';
  const key = refundKeyOf(notice);
  const owner = ports.newOwner();
  const claim = await ports.claims.claim(
    channel.channelId,
    key,
    owner,
    ports.clock().getTime(),
    ports.leaseMs,
  );
  if (!claim.held) {
    // Another delivery holds the attempt: the bus retries this one, which then finds the outcome
    // (or, should the holder have died, the expired claim).
    if (!claim.outcome) throw new ChannelCallFailed(`Refund ${key} is being posted by another delivery`);
    await ports.announce(notice, claim.outcome, ports.clock().toISOString(), correlationId);
    return 'already';
  }
  let outcome: RefundOutcome;
  try {
    outcome = { status: 'issued', reference: await writer.refund(channel, token, notice) };
  } catch (error) {
    if (!(error instanceof ChannelCallFailed) || !error.permanent) {
      await ports.claims.release(channel.channelId, key, owner);
      throw error instanceof ChannelCallFailed ? error : new ChannelCallFailed((error as Error).message);
    }
    outcome = { status: 'failed', message: error.message.slice(0, 500) };
  }
  const at = ports.clock().toISOString();
  await ports.claims.settle(channel.channelId, key, owner, outcome, at);
  await ports.announce(notice, outcome, at, correlationId);
  return outcome.status;
}

/** Minor units as the decimal string channels take ("12.34"; "1200" for JPY), by the currency's digits. */
export function decimalOf(minor: number, currency: string | null): string {
  const digits = currency ? currencyExponent(currency) : 2;
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(minor));
  if (digits === 0) return `${sign}${abs}`;
  const s = String(abs).padStart(digits + 1, '0');
  return `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** The text our refunds carry on the channel, so a retry after a crash finds the refund it made. */
export const refundMarker = (n: Pick<RefundNotice, 'returnId' | 'attempt'>) => `[qm:${refundKeyOf(n)}]`;
