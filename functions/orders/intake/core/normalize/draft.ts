import type { z } from 'zod';
import { toFieldIssues } from '#shared/validation';
import { IntakeFailure } from '../../../errors.ts';
import type { CanonicalOrder, ServiceLevel, ShipTo } from '../../../schemas/canonical-order.ts';
import type { ChannelType } from '../../schemas/channel.ts';
import { parseJsonExact } from '../exact-json.ts';
import { type DecimalInput, decimalText, InvalidAmount, toMinorUnits } from '../money.ts';

/** A line as a normalizer reads it, before its SKU is resolved against catalog and listings. */
export interface DraftLine {
  lineId: string;
  /** The SKU the channel sent; may be empty (Shopify) or a channel-only code (Amazon SellerSKU). */
  sku?: string;
  /** Channel ids to try in the channel's listings, in order (variant id, product id, ...). */
  listingKeys: string[];
  quantity: number;
  unitPrice: number | null;
  discount: number;
  title?: string;
}

/**
 * A normalized order whose lines are not resolved yet. `lines` undefined means the sender's
 * message had none (Amazon ORDER_CHANGE without items); `partial` means it carries only a
 * status change, so an update must not overwrite fields it does not know.
 */
export interface DraftOrder extends Omit<CanonicalOrder, 'lines'> {
  lines: DraftLine[] | undefined;
  partial?: boolean;
}

/** A normalizer's answer: an order, or a verified message that is not an order for us. */
export type Normalized = { kind: 'order'; draft: DraftOrder } | { kind: 'ignore'; reason: string };

/** What a normalizer receives: the verified raw body and the little it needs besides. */
export interface NormalizeInput {
  channelId: string;
  channelType: ChannelType;
  rawBody: string;
  /** Sender's topic or event name (`orders/updated`, `order.created`). */
  topic?: string;
  /** When the delivery reached us; the last-resort clock for senders without timestamps. */
  receivedAt: string;
}

export function parseBody(rawBody: string): unknown {
  if (rawBody.trim() === '') throw new IntakeFailure('MALFORMED_JSON', 'The body is empty');
  try {
    return parseJsonExact(rawBody);
  } catch (error) {
    throw new IntakeFailure('MALFORMED_JSON', `The body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Validates a sender payload; every problem becomes one field issue of an INVALID_PAYLOAD failure. */
export function parsePayload<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = toFieldIssues(result.error);
    throw new IntakeFailure(
      'INVALID_PAYLOAD',
      `The ${what} has invalid fields: ${issues.map((i) => i.field).join(', ')}`,
      issues,
    );
  }
  return result.data;
}

/** Converts an amount, turning a bad one into an INVALID_AMOUNT failure naming the field. */
export function money(value: DecimalInput, currency: string, field: string): number {
  try {
    return toMinorUnits(decimalText(value), currency);
  } catch (error) {
    if (error instanceof InvalidAmount) {
      throw new IntakeFailure('INVALID_AMOUNT', `${field}: ${error.message}`, [
        { field, message: error.message },
      ]);
    }
    throw error;
  }
}

export function nonNegativeMoney(value: DecimalInput, currency: string, field: string): number {
  const minor = money(value, currency, field);
  if (minor < 0) {
    throw new IntakeFailure('INVALID_AMOUNT', `${field} must not be negative`, [
      { field, message: 'negative' },
    ]);
  }
  return minor;
}

/**
 * Any ISO-8601 instant (with offset, or a GMT value without one such as WooCommerce's
 * `date_modified_gmt`) → UTC `toISOString()`, so stored timestamps compare as strings.
 */
export function utcInstant(value: string, field: string, assumeUtc = false): string {
  const text = assumeUtc && !/(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? `${value}Z` : value;
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) {
    throw new IntakeFailure('INVALID_PAYLOAD', `${field} is not an ISO-8601 timestamp`, [
      { field, message: 'not an ISO-8601 timestamp' },
    ]);
  }
  return new Date(ms).toISOString();
}

const blank = (s: string | null | undefined): s is null | undefined | '' =>
  s === null || s === undefined || s.trim() === '';
export const text = (s: string | null | undefined): string | undefined => (blank(s) ? undefined : s.trim());

/**
 * A ship-to address, or null when the channel sent none or one that cannot be shipped to
 * (no street line or no country). An order without an address is still taken: the release
 * workflow's address hold stops it until someone fixes it.
 */
export function shipToFrom(a: {
  name?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
  phone?: string | null;
}): ShipTo | null {
  const line1 = text(a.line1);
  const country = text(a.country)?.toUpperCase();
  if (!line1 || !country || country.length !== 2) return null;
  const name = text(a.name) ?? [text(a.firstName), text(a.lastName)].filter(Boolean).join(' ');
  const optional = (key: keyof ShipTo, value: string | null | undefined) => {
    const v = text(value);
    return v ? { [key]: v } : {};
  };
  return {
    name,
    ...optional('company', a.company),
    line1,
    ...optional('line2', a.line2),
    city: text(a.city) ?? '',
    ...optional('region', a.region),
    postalCode: text(a.postalCode) ?? '',
    country,
    ...optional('phone', a.phone),
  };
}

/** Maps a channel's shipping method name to a service level; anything unrecognised is standard. */
export function serviceLevelOf(...names: (string | null | undefined)[]): ServiceLevel {
  const s = names.filter(Boolean).join(' ').toLowerCase();
  if (/pick ?up|click (&|and) collect|collect in store|local pickup/.test(s)) return 'pickup';
  if (/overnight|next[ -]day|same[ -]day/.test(s)) return 'overnight';
  if (/express|expedited|priority|2[ -]?day|two[ -]day|rush/.test(s)) return 'expedited';
  return 'standard';
}

/** Ids arrive as numbers or strings (or as exact source text for ids beyond 2^53). */
export const idText = (id: string | number | null | undefined): string | undefined =>
  id === null || id === undefined || id === '' || id === 0 ? undefined : String(id);
