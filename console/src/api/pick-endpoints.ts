import { api, apiPath } from './client.ts';
import type { Location, NextPickTask, Page, PickScanResult, Wave } from './types.ts';

/**
 * The routes of the handheld pick screen, apart from `endpoints.ts`: only the pick screen imports
 * this module, so it travels inside the pick screen's chunk instead of loading the whole route
 * table of the console (the handheld's first load is held to 150 kB of JavaScript).
 */
export const pickEndpoints = {
  locations: (signal?: AbortSignal) =>
    api.get<Page<Location>>('/api/locations', { limit: 200 }, signal).then((p) => p.items),
  /** Waves of a location that still have work: released and picking, earliest cutoff first. */
  openWaves: async (locationId: string, signal?: AbortSignal) => {
    const lists = await Promise.all(
      ['released', 'picking'].map((status) =>
        api.get<Page<Wave>>('/api/waves', { locationId, status }, signal).then((p) => p.items),
      ),
    );
    return lists
      .flat()
      .sort(
        (a, b) => (a.cutoffAt ?? '~').localeCompare(b.cutoffAt ?? '~') || a.waveId.localeCompare(b.waveId),
      );
  },
  /** The caller's next task of the wave (claimed for them); undefined (204) when none is left. */
  nextTask: (waveId: string) => api.get<NextPickTask | undefined>('/api/pick-tasks/next', { waveId }),
  scan: (taskId: string, body: { code: string; quantity?: number; scanId: string }) =>
    api.post<PickScanResult>(apiPath`/api/pick-tasks/${taskId}/scans`, body),
  short: (taskId: string, body: { quantityFound: number; reason: string }) =>
    api.post<PickScanResult>(apiPath`/api/pick-tasks/${taskId}/short`, body),
};
