/**
 * What each command is called in plain words, by its route key (`METHOD /path`, as the audit
 * trail records it). One table for the whole console; a route missing here shows its key.
 */
const ACTION_PHRASES: Readonly<Record<string, string>> = {
  'POST /api/inventory/adjustments': 'Adjusted stock',
  'POST /api/inventory/receipts': 'Received stock',
  'POST /api/inventory/moves': 'Moved stock',
  'POST /api/inventory/checks': 'Ran an inventory check',
  'POST /api/inventory/repairs': 'Repaired a stock position',
  'PUT /api/inventory/{sku}/sharding': 'Changed how a SKU is sharded',
  'PUT /api/skus/{sku}': 'Saved a SKU',
  'PUT /api/locations/{id}': 'Saved a location',
  'POST /api/reservations': 'Reserved stock',
  'POST /api/reservations/{id}/consume': 'Consumed a reservation',
  'DELETE /api/reservations/{id}': 'Released a reservation',
  'PUT /api/channels/{channelId}': 'Saved a channel',
  'PUT /api/channels/{channelId}/listings/{externalId}': 'Mapped a channel listing to a SKU',
  'POST /api/intake/exceptions/{id}/replay': 'Replayed an intake exception',
  'POST /api/orders/{id}/holds': 'Placed a hold',
  'POST /api/orders/{id}/holds/{holdId}/release': 'Released a hold',
  'POST /api/orders/{id}/cancel': 'Cancelled an order',
  'POST /api/orders/{id}/retry': 'Retried an order',
  'PUT /api/routing-rules': 'Saved routing rules',
  'POST /api/routing-rules/simulate': 'Simulated routing rules',
  'POST /webhooks/orders/{channelId}': 'Received a storefront order',
  'POST /webhooks/shopify/{channelId}': 'Received a Shopify order',
  'POST /webhooks/woocommerce/{channelId}': 'Received a WooCommerce order',
};

/** "Adjusted stock" for `POST /api/inventory/adjustments`; the route key itself when unknown. */
export const describeAction = (routeKey: string): string => ACTION_PHRASES[routeKey] ?? routeKey;
