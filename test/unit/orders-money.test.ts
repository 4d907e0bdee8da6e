import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonExact } from '../../functions/orders/intake/core/exact-json.ts';
import {
  formatMinorUnits,
  InvalidAmount,
  minorUnitExponent,
  toMinorUnits,
} from '../../functions/orders/intake/core/money.ts';

describe('decimal text → minor units', () => {
  it.each([
    ['29.00', 'USD', 2900],
    ['29', 'USD', 2900],
    ['4.9', 'EUR', 490],
    ['0.29', 'USD', 29],
    ['.5', 'USD', 50],
    ['1500', 'JPY', 1500],
    ['1.234', 'KWD', 1234],
    ['-10.00', 'USD', -1000],
    ['  6.95 ', 'USD', 695],
    ['90071992547409.91', 'USD', 9007199254740991],
  ])('%s %s → %d', (text, currency, minor) => {
    expect(toMinorUnits(text, currency)).toBe(minor);
  });

  it('rounds extra digits half to even', () => {
    expect(toMinorUnits('1.005', 'USD')).toBe(100);
    expect(toMinorUnits('1.015', 'USD')).toBe(102);
    expect(toMinorUnits('1.0051', 'USD')).toBe(101);
    expect(toMinorUnits('1.2849', 'USD')).toBe(128);
    expect(toMinorUnits('2.5', 'JPY')).toBe(2);
    expect(toMinorUnits('3.5', 'JPY')).toBe(4);
  });

  it.each([['1e3'], ['1,000.00'], ['NaN'], [''], ['12.3.4'], ['0x10'], ['90071992547409.92']])(
    'refuses %j',
    (text) => {
      expect(() => toMinorUnits(text, 'USD')).toThrow(InvalidAmount);
    },
  );

  it('refuses a currency that is not an ISO code', () => {
    expect(() => minorUnitExponent('usd')).toThrow(InvalidAmount);
  });

  it('gives the exact integer where float arithmetic would not (0.29 × 100 = 28.999…)', () => {
    expect(0.29 * 100).not.toBe(29);
    expect(toMinorUnits('0.29', 'USD')).toBe(29);
    expect(toMinorUnits('1.13', 'USD')).toBe(113);
  });

  it('round-trips any minor amount through its decimal text, in every exponent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.constantFrom('USD', 'JPY', 'KWD', 'CLF'),
        (minor, currency) => {
          expect(toMinorUnits(formatMinorUnits(minor, currency), currency)).toBe(minor);
        },
      ),
    );
  });

  it('equals the integer read of whole and fraction digits for any two-decimal text', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.nat({ max: 99 }), (whole, cents) => {
        const text = `${whole}.${String(cents).padStart(2, '0')}`;
        expect(toMinorUnits(text, 'EUR')).toBe(whole * 100 + cents);
      }),
    );
  });
});

describe('exact JSON parsing', () => {
  it('keeps fractional numbers as their source text and safe integers as numbers', () => {
    expect(
      parseJsonExact('{"price":14.45,"qty":2,"rate":0.065,"big":12345678901234567890,"n":[29.9]}'),
    ).toEqual({
      price: '14.45',
      qty: 2,
      rate: '0.065',
      big: '12345678901234567890',
      n: ['29.9'],
    });
  });

  it('keeps a number written with trailing zeros exact as well', () => {
    const parsed = parseJsonExact('{"a":29.10}') as { a: string };
    expect(toMinorUnits(parsed.a, 'USD')).toBe(2910);
  });
});
