/**
 * Explicit bounds on every count and amount the API accepts, chosen so that no arithmetic
 * Quartermaster does on them can leave the safe-integer range (±2^53 − 1 ≈ ±9.007 × 10^15), where
 * JavaScript numbers stop being exact and the DynamoDB document client refuses to read them.
 * Every schema takes its bound from here (one constant each, no magic numbers elsewhere).
 *
 * | quantity                                              | bound                 | why it is enough / safe                                  |
 * | ----------------------------------------------------- | --------------------- | -------------------------------------------------------- |
 * | one quantity: order / reservation line, receipt, move,| 1 … 10^6              | the reservation line cap; a pallet-sized order is 10^4   |
 * | kit component, adjustment delta (|delta|)             |                       |                                                          |
 * | units in one bucket of one position item (stored)     | 0 … 10^12             | refused at write (QUANTITY_OUT_OF_RANGE); 32 shards ×    |
 * |                                                       |                       | 10^12 = 3.2 × 10^13, and ~9,000 items at the cap still   |
 * |                                                       |                       | sum exactly                                              |
 * | units of a kit line (line × component)                | ≤ 10^12               | 10^6 × 10^6                                              |
 * | a money amount (minor units): price, discount, tax,   | 0 … 10^11             | 1 billion USD; ×500 lines = 5 × 10^13                    |
 * | shipping, total, a line's gross (unit price × qty)    |                       |                                                          |
 * | lines of an order                                     | ≤ 500                 | the storefront contract's cap                            |
 * | discount entries of an order                          | ≤ 100                 |                                                          |
 * | channel exposure buffer / cap / floor                 | 0 … 10^12             | compared with a position's available units               |
 */

/** One quantity in a request or a channel payload: a line, a receipt, a move, |delta| of an adjustment. */
export const MAX_QUANTITY = 1_000_000;

/** Units one bucket of one stored position item may hold; a write beyond it is refused. */
export const MAX_BUCKET_UNITS = 1_000_000_000_000;

/** One money amount in minor units (and a line's unit price × quantity). */
export const MAX_MONEY_MINOR = 100_000_000_000;

/** Lines of one order (channel payloads and the canonical order). */
export const MAX_ORDER_LINES = 500;

/** Discount entries (codes) of one order. */
export const MAX_ORDER_DISCOUNTS = 100;
