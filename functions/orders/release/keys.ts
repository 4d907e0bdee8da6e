/**
 * Order-release item keys — the only place they are composed. The release state itself lives
 * on the order item (`ORDER#<id>` / `ORDER`, see schemas.ts), so GET /api/orders/{id} shows it.
 * - hold wait:      pk ORDER#<orderId>          sk HOLDWAIT      (the parked execution's task token;
 *                   kept off the order item so the token never reaches the API)
 * - rule version:   pk ROUTING#RULES            sk VERSION#<n, zero-padded>
 * - active rules:   pk ROUTING#RULES            sk ACTIVE        ({ version })
 * - backorder:      pk BACKORDER#<sku>          sk Q#<999 − channel priority>#<placedAt>#<orderId>
 *                   one entry per (order, short SKU); a Query reads the queue in release order:
 *                   highest channel priority first, then oldest.
 * - queue lock:     pk BACKORDER#<sku>          sk LOCK          (one retry run per SKU at a time)
 */
export const releaseKeys = {
  holdWait: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'HOLDWAIT' }),
  rulesPartition: 'ROUTING#RULES',
  rulesVersion: (version: number) => ({
    pk: 'ROUTING#RULES',
    sk: `VERSION#${String(version).padStart(8, '0')}`,
  }),
  rulesActive: { pk: 'ROUTING#RULES', sk: 'ACTIVE' },
  backorderQueue: (sku: string) => `BACKORDER#${sku}`,
  backorderEntryPrefix: 'Q#',
  backorderEntry: (sku: string, channelPriority: number, placedAt: string, orderId: string) => ({
    pk: `BACKORDER#${sku}`,
    sk: `Q#${String(999 - Math.max(0, Math.min(999, channelPriority))).padStart(3, '0')}#${placedAt}#${orderId}`,
  }),
  backorderLock: (sku: string) => ({ pk: `BACKORDER#${sku}`, sk: 'LOCK' }),
};

/** Deterministic, so a retried task reserves (and an API cancel releases) the same reservation. */
export const reservationIdFor = (orderId: string, locationId: string, round: number) =>
  `order:${orderId}:${locationId}:${round}`;
