import { api, apiPath } from './client.ts';
import type { Carrier, Fulfillment, Location, PackageBody, Page, ShipBody } from './types.ts';

/**
 * The routes of the pack station, apart from `endpoints.ts` (as `pick-endpoints.ts` for the pick
 * screen): only the pack screen imports this module, so it travels inside the pack chunk and the
 * handheld's first load never pulls the whole route table of the console.
 */
export const packEndpoints = {
  locations: (signal?: AbortSignal) =>
    api.get<Page<Location>>('/api/locations', { limit: 200 }, signal).then((p) => p.items),
  /** The first page of picked fulfillments at a location: a pack queue is short by nature. */
  picked: (locationId: string, signal?: AbortSignal) =>
    api
      .get<Page<Fulfillment>>('/api/fulfillments', { locationId, status: 'picked' }, signal)
      .then((p) => p.items),
  get: (id: string, signal?: AbortSignal) =>
    api.get<Fulfillment>(apiPath`/api/fulfillments/${id}`, undefined, signal),
  packScan: (id: string, code: string) =>
    api.post<Fulfillment>(apiPath`/api/fulfillments/${id}/pack-scans`, { code }),
  putPackages: (id: string, packages: PackageBody[]) =>
    api.post<Fulfillment>(apiPath`/api/fulfillments/${id}/packages`, { packages }),
  ship: (id: string, body: ShipBody) => api.post<Fulfillment>(apiPath`/api/fulfillments/${id}/ship`, body),
  carriers: (signal?: AbortSignal) =>
    api.get<{ items: Carrier[] }>('/api/carriers', undefined, signal).then((p) => p.items),
};
