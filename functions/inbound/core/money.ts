import { currencyExponent } from '#shared/currency';

/**
 * A supplier's unit cost as decimal text ("12.50") → whole minor units of the supplier's currency,
 * by string arithmetic only. Unlike a channel's amounts, an agreed cost is never rounded: more
 * significant decimals than the currency has is refused (trailing zeros are fine).
 */
export function parseUnitCost(
  text: string,
  currency: string,
): { ok: true; minor: number } | { ok: false; reason: string } {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return { ok: false, reason: 'a decimal amount as text, e.g. "12.50"' };
  const exponent = currencyExponent(currency);
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) {
    return { ok: false, reason: `${currency} has ${exponent} decimal place(s)` };
  }
  const minor = Number(BigInt((m[1] ?? '0') + fraction.padEnd(exponent, '0')));
  if (!Number.isSafeInteger(minor)) return { ok: false, reason: 'too large' };
  return { ok: true, minor };
}

/** 1250 USD → "12.50": how costs are shown, never used for arithmetic. */
export function formatMinor(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const digits = String(minor).padStart(exponent + 1, '0');
  return exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
