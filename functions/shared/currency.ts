/**
 * ISO 4217 minor-unit exponents, one list for every context that turns decimal text into whole
 * minor units (orders' channel amounts, inbound's purchase costs).
 */
const EXPONENTS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

export const isCurrencyCode = (code: string): boolean => /^[A-Z]{3}$/.test(code);

/** Digits after the decimal point of a currency's minor unit (2 unless ISO 4217 says otherwise). Assumes a valid code. */
export const currencyExponent = (currency: string): number => EXPONENTS[currency] ?? 2;
