/**
 * Money is integer minor units plus an ISO 4217 currency. Channel amounts arrive
 * as decimal text ("29.00", "4.9", or a JSON number's source text such as `14.45`); they are
 * converted by string and BigInt arithmetic only, so no amount ever passes through a binary
 * float.
 */
import { currencyExponent, isCurrencyCode } from '#shared/currency';

export class InvalidAmount extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`${JSON.stringify(input)} ${reason}`);
    this.name = 'InvalidAmount';
  }
}

export function minorUnitExponent(currency: string): number {
  if (!isCurrencyCode(currency)) throw new InvalidAmount(currency, 'is not an ISO 4217 currency code');
  return currencyExponent(currency);
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$|^([+-])?\.(\d+)$/;

/**
 * "29.00" USD → 2900; "1500" JPY → 1500; "1.2345" EUR → 123 (extra digits rounded half to
 * even, as tax engines that keep 4+ decimals expect). Throws InvalidAmount for anything that
 * is not plain decimal text (exponents, thousands separators, NaN) or does not fit a safe
 * integer.
 */
export function toMinorUnits(amount: string, currency: string): number {
  const exponent = minorUnitExponent(currency);
  const text = amount.trim();
  const m = DECIMAL.exec(text);
  if (!m) throw new InvalidAmount(amount, 'is not a decimal amount');
  const negative = (m[1] ?? m[4]) === '-';
  const whole = m[2] ?? '0';
  const fraction = m[3] ?? m[5] ?? '';
  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  const dropped = fraction.slice(exponent);
  let minor = BigInt(whole + kept);
  if (dropped.length > 0 && /[1-9]/.test(dropped)) {
    const first = Number(dropped[0]);
    const rest = dropped.slice(1);
    const aboveHalf = first > 5 || (first === 5 && /[1-9]/.test(rest));
    const exactlyHalf = first === 5 && !/[1-9]/.test(rest);
    if (aboveHalf || (exactlyHalf && minor % 2n === 1n)) minor += 1n;
  }
  if (negative) minor = -minor;
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new InvalidAmount(amount, 'is too large');
  }
  return Number(minor) || 0;
}

/** 2900 USD → "29.00"; for display and documents, never for arithmetic. */
export function formatMinorUnits(minor: number, currency: string): string {
  const exponent = minorUnitExponent(currency);
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/**
 * A decimal value as channels send it: text, or a JSON number whose *source text* was kept by
 * `parseJsonExact`. A bare JS number can only reach here when a caller bypassed that parser;
 * its shortest round-trip text is used (exact for any literal of up to 15 significant digits).
 */
export type DecimalInput = string | number;

export function decimalText(value: DecimalInput): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) throw new InvalidAmount(String(value), 'is not a finite amount');
  return String(value);
}

/** Sums minor-unit amounts exactly (they are integers). */
export const sumMinor = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
