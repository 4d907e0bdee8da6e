/**
 * JSON.parse that never turns a fractional number into a binary float. Channels send some
 * amounts as JSON numbers (WooCommerce line `price: 14.45`); with Node 22's JSON.parse source
 * text access, every number that is not a safe integer is kept as its exact source text
 * ("14.45", or the digits of an id beyond 2^53), which the money parser then reads.
 * Safe integers (quantities, most ids) stay numbers.
 */
export class MalformedJson extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedJson';
  }
}

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

const keepSourceOfInexactNumbers: Reviver = (_key, value, context) => {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && typeof context?.source === 'string') {
    return context.source;
  }
  return value;
};

export function parseJsonExact(text: string): unknown {
  try {
    return JSON.parse(text, keepSourceOfInexactNumbers as (key: string, value: unknown) => unknown);
  } catch (error) {
    throw new MalformedJson((error as Error).message);
  }
}
