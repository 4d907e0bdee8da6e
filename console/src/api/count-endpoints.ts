import type { CountTaskView, RaisedTask } from '../../../functions/inbound/api.ts';
import { ApiError, api, apiPath } from './client.ts';
import type { Location, Page, Sku } from './types.ts';

/**
 * The routes of the handheld count screen, apart from `endpoints.ts` (like the pick screen's):
 * only the count screen imports this module, so the handheld loads no more than it uses. The
 * count API is blind: nothing here ever carries the units the system expects in a bin.
 */
export const countEndpoints = {
  locations: (signal?: AbortSignal) =>
    api.get<Page<Location>>('/api/locations', { limit: 200 }, signal).then((p) => p.items),
  openTasks: (locationId: string, signal?: AbortSignal) =>
    api.get<{ items: CountTaskView[] }>('/api/count-tasks', { locationId }, signal).then((p) => p.items),
  task: (taskId: string, signal?: AbortSignal) =>
    api.get<CountTaskView>(apiPath`/api/count-tasks/${taskId}`, undefined, signal),
  submit: (taskId: string, counts: { sku: string; quantity: number }[]) =>
    api.post<CountTaskView>(apiPath`/api/count-tasks/${taskId}/submit`, { counts }),
  /** Asks for a count of one bin (inventory controllers and supervisors): its open task. */
  countBin: (locationId: string, binId: string) =>
    api
      .post<{ tasks: RaisedTask[] }>('/api/cycle-counts', { locationId, binIds: [binId] })
      .then((r) => r.tasks[0]),
  /** The SKU a scanned code names: a catalog barcode, else the SKU code itself; undefined if neither. */
  async skuFor(code: string): Promise<string | undefined> {
    const byBarcode = await api.get<{ items: Sku[] }>('/api/skus', { barcode: code });
    if (byBarcode.items[0]) return byBarcode.items[0].sku;
    try {
      return (await api.get<Sku>(apiPath`/api/skus/${code}`)).sku;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }
  },
};
