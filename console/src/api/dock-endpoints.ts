import { api, apiPath } from './client.ts';
import type { Location, Page, ReturnView, Sku } from './types.ts';

/**
 * The routes of the dock's return receiving, apart from `endpoints.ts` (as the pack station's):
 * only that handheld screen imports this module, so its chunk stays small.
 */
export const dockEndpoints = {
  locations: (signal?: AbortSignal) =>
    api.get<Page<Location>>('/api/locations', { limit: 200 }, signal).then((p) => p.items),
  getReturn: (returnId: string, signal?: AbortSignal) =>
    api.get<ReturnView>(apiPath`/api/returns/${returnId}`, undefined, signal),
  /** The SKU a scanned barcode belongs to, if the catalog knows it. */
  skuOfBarcode: (barcode: string) =>
    api.get<{ items: Sku[] }>('/api/skus', { barcode }).then((p) => p.items[0]?.sku),
  receive: (returnId: string, body: { locationId: string; lines: { sku: string; quantity: number }[] }) =>
    api.post<ReturnView>(apiPath`/api/returns/${returnId}/receipts`, body),
};
