import type { ReceiptReport } from '../../../functions/inbound/api.ts';
import { api, apiPath } from './client.ts';
import type { Location, Page } from './types.ts';

/**
 * The routes of the handheld receiving and putaway screens, apart from `endpoints.ts` (as
 * `pick-endpoints.ts`): only those screens import this module, so it travels in their chunks.
 */

/** What a scan answers: the ASN's SKUs with what the receipt counted of each. */
export interface ReceiptLines {
  lines: { sku: string; expected: number; received: number }[];
}

export interface ReceivingException {
  type: 'over' | 'short' | 'wrong_sku' | 'damaged';
  sku: string;
  quantity: number;
}

export interface PutawayTaskItem {
  taskId: string;
  sku: string;
  quantity: number;
  suggestedBinId: string | null;
}

/** A confirmed putaway task as the API answers it. */
export interface PutawayDone extends PutawayTaskItem {
  binId: string;
  putAwayAt: string;
  dockToStockSeconds?: number;
}

export const inboundFloorEndpoints = {
  locations: (signal?: AbortSignal) =>
    api.get<Page<Location>>('/api/locations', { limit: 200 }, signal).then((p) => p.items),
  receipt: (asnId: string, signal?: AbortSignal) =>
    api.get<ReceiptReport>(apiPath`/api/receipts/${asnId}`, undefined, signal),
  scan: (
    asnId: string,
    body: { code: string; quantity: number; condition: 'good' | 'damaged'; scanId: string },
  ) => api.post<ReceiptLines>(apiPath`/api/receipts/${asnId}/scans`, body),
  close: (asnId: string) =>
    api.post<{ exceptions: ReceivingException[] }>(apiPath`/api/receipts/${asnId}/close`, {}),
  putawayTasks: (locationId: string, signal?: AbortSignal) =>
    api.get<{ items: PutawayTaskItem[] }>('/api/putaway-tasks', { locationId }, signal).then((p) => p.items),
  confirm: (taskId: string, binCode: string) =>
    api.post<PutawayDone>(apiPath`/api/putaway-tasks/${taskId}/confirm`, { binCode }),
};
