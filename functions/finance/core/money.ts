import { currencyExponent } from '#shared/currency';

/**
 * Money in finance is whole minor units (numbers within the kernel's bounds); every product or
 * share goes through BigInt, so no step can leave the safe-integer range or round through a float.
 */

/** `value × part / whole`, rounded half away from zero. `whole` must be positive. */
export function share(value: number, part: number, whole: number): number {
  if (whole <= 0) throw new Error('share of a non-positive whole');
  const n = BigInt(value) * BigInt(part);
  const w = BigInt(whole);
  const q = n / w;
  const r = n % w;
  const twice = (r < 0n ? -r : r) * 2n;
  return Number(twice >= w ? q + (n < 0n ? -1n : 1n) : q);
}

/**
 * Splits `total` over `weights` in proportion, largest remainder first, so the parts always add
 * up to the total exactly. Ties go to the earlier weight (stable for a stable input order).
 * All weights zero: split evenly.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const ws = weights.some((w) => w > 0) ? weights.map((w) => BigInt(Math.max(0, w))) : weights.map(() => 1n);
  const sum = ws.reduce((a, b) => a + b, 0n);
  const t = BigInt(total);
  const parts = ws.map((w) => (t * w) / sum);
  const remainders = ws.map((w, i) => ({ i, r: (t * w) % sum }));
  let left = t - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left <= 0n) break;
    parts[i] = (parts[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return parts.map(Number);
}

/** Decimal text ("12.50") → minor units; more decimals than the currency has is refused, never rounded. */
export function parseAmount(text: string, currency: string): number | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return undefined;
  const exponent = currencyExponent(currency);
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) return undefined;
  const minor = Number(BigInt((m[1] ?? '0') + fraction.padEnd(exponent, '0')));
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** Minor units as decimal text with `scale` digits after the point: (1250, 2) → "12.50", (-5, 2) → "-0.05". */
export function decimalText(minor: number | bigint, scale: number): string {
  const v = BigInt(minor);
  const negative = v < 0n;
  const digits = (negative ? -v : v).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** Minor units of `currency` as its decimal text. */
export const formatMoney = (minor: number, currency: string): string =>
  decimalText(minor, currencyExponent(currency));
