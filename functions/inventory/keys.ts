/**
 * Inventory item keys — the only place they are composed.
 * - location:  pk LOCATION#<id>          sk LOCATION          gsi1: LOCATIONS / <id>
 * - position:  pk STOCK#<sku>            sk LOC#<locationId>  gsi1: LOCSTOCK#<locationId> / <sku>
 *   (one Query returns every position of a SKU)
 * - movement:  pk MOVE#<movementId>      sk MOVE
 *   gsi1: LEDGER#<sku> / <occurredAt>#<movementId>              (ledger of a SKU, in time order)
 *   gsi2: LEDGER#<sku>#<locationId> / <occurredAt>#<movementId> (ledger of one position)
 *   Each movement is its own partition, so a busy SKU's ledger writes spread over the table;
 *   the movement id is derived from the command's idempotency key, so a retry hits the same item.
 */
export const inventoryKeys = {
  location: (id: string) => ({ pk: `LOCATION#${id}`, sk: 'LOCATION' }),
  locationIndex: (id: string) => ({ gsi1pk: 'LOCATIONS', gsi1sk: id }),
  positionsOf: (sku: string) => ({ pk: `STOCK#${sku}` }),
  position: (sku: string, locationId: string) => ({ pk: `STOCK#${sku}`, sk: `LOC#${locationId}` }),
  positionIndex: (sku: string, locationId: string) => ({ gsi1pk: `LOCSTOCK#${locationId}`, gsi1sk: sku }),
  movement: (movementId: string) => ({ pk: `MOVE#${movementId}`, sk: 'MOVE' }),
  movementIndex: (m: { sku: string; locationId: string; occurredAt: string; movementId: string }) => ({
    gsi1pk: `LEDGER#${m.sku}`,
    gsi1sk: `${m.occurredAt}#${m.movementId}`,
    gsi2pk: `LEDGER#${m.sku}#${m.locationId}`,
    gsi2sk: `${m.occurredAt}#${m.movementId}`,
  }),
  ledgerOfSku: (sku: string) => `LEDGER#${sku}`,
  ledgerOfPosition: (sku: string, locationId: string) => `LEDGER#${sku}#${locationId}`,
};
