import type { z } from 'zod';
import { MAX_MONEY_MINOR, MAX_QUANTITY } from '#shared/bounds';
import type { FieldIssue } from '#shared/errors';
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

/** A number outside its schema's bounds (the only numbers sender schemas bound are quantities). */
const isNumberRange = (issue: z.core.$ZodIssue) =>
  (issue.code === 'too_big' || issue.code === 'too_small') &&
  (issue.origin === 'number' || issue.origin === 'int');

/**
 * Validates a sender payload; every problem becomes one field issue of an INVALID_PAYLOAD
 * failure — or of QUANTITY_OUT_OF_RANGE when the only problems are quantities past their bound.
 */
export function parsePayload<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = toFieldIssues(result.error);
    if (result.error.issues.every(isNumberRange)) {
      throw new IntakeFailure(
        'QUANTITY_OUT_OF_RANGE',
        `The ${what} has quantities out of range (1 to ${MAX_QUANTITY}): ${issues.map((i) => i.field).join(', ')}`,
        issues,
      );
    }
    throw new IntakeFailure(
      'INVALID_PAYLOAD',
      `The ${what} has invalid fields: ${issues.map((i) => i.field).join(', ')}`,
      issues,
    );
  }
  return result.data;
}

/**
 * Converts an amount, turning a bad one into an INVALID_AMOUNT failure naming the field, and one
 * beyond ±MAX_MONEY_MINOR into AMOUNT_OUT_OF_RANGE.
 */
export function money(value: DecimalInput, currency: string, field: string): number {
  let minor: number;
  try {
    minor = toMinorUnits(decimalText(value), currency);
  } catch (error) {
    if (error instanceof InvalidAmount) {
      const tooLarge = /too large/.test(error.message);
      throw new IntakeFailure(
        tooLarge ? 'AMOUNT_OUT_OF_RANGE' : 'INVALID_AMOUNT',
        `${field}: ${error.message}`,
        [{ field, message: error.message }],
      );
    }
    throw error;
  }
  if (Math.abs(minor) > MAX_MONEY_MINOR) {
    const message = `exceeds ${MAX_MONEY_MINOR} minor units`;
    throw new IntakeFailure('AMOUNT_OUT_OF_RANGE', `${field} ${message}`, [{ field, message }]);
  }
  return minor;
}

/**
 * The bounds a draft's lines must keep before they can become an order (#shared/bounds): a
 * line's gross (unit price × quantity) within MAX_MONEY_MINOR, and its discount no larger than
 * that gross. Quantities and single amounts were bounded when the payload was parsed. A draft
 * that breaks them becomes an intake exception (AMOUNT_OUT_OF_RANGE / DISCOUNT_EXCEEDS_PRICE).
 */
export function assertLineBounds(lines: readonly DraftLine[] | undefined): void {
  const tooLarge: FieldIssue[] = [];
  const overDiscounted: FieldIssue[] = [];
  (lines ?? []).forEach((line, i) => {
    if (line.unitPrice === null) return;
    // Exact up to 2^53; anything beyond is far above the bound, so the comparison holds.
    const gross = line.unitPrice * line.quantity;
    if (gross > MAX_MONEY_MINOR) {
      tooLarge.push({
        field: `lines.${i}.unitPrice`,
        message: `unit price × quantity exceeds ${MAX_MONEY_MINOR}`,
      });
    } else if (line.discount > gross) {
      overDiscounted.push({
        field: `lines.${i}.discount`,
        message: `discount ${line.discount} exceeds the line price ${gross} (unit price × quantity)`,
      });
    }
  });
  if (tooLarge.length > 0) {
    throw new IntakeFailure(
      'AMOUNT_OUT_OF_RANGE',
      `Line amounts out of range: ${fields(tooLarge)}`,
      tooLarge,
    );
  }
  if (overDiscounted.length > 0) {
    throw new IntakeFailure(
      'DISCOUNT_EXCEEDS_PRICE',
      `A line discount exceeds its price: ${fields(overDiscounted)}`,
      overDiscounted,
    );
  }
}

const fields = (issues: FieldIssue[]) => issues.map((i) => i.field).join(', ');

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
