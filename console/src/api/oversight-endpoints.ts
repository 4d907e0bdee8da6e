import type { Alert, AlertSettings, KpiReport } from '../../../functions/oversight/api.ts';
import { api, apiPath } from './client.ts';
import type { Location, Page } from './types.ts';

/** The KPI and alert routes (oversight), apart from `endpoints.ts`: only their two screens load them. */
export const oversightEndpoints = {
  kpis: (query: { from: string; to: string; locationId?: string }, signal?: AbortSignal) =>
    api.get<KpiReport>('/api/kpis', query, signal),
  locations: (signal?: AbortSignal) =>
    api.get<Page<Location>>('/api/locations', { limit: 200 }, signal).then((p) => p.items),
  alerts: (status: 'open' | 'cleared', signal?: AbortSignal) =>
    api.get<{ items: Alert[] }>('/api/alerts', { status }, signal).then((p) => p.items),
  acknowledge: (alertId: string) => api.post<Alert>(apiPath`/api/alerts/${alertId}/acknowledge`),
  settings: (signal?: AbortSignal) => api.get<AlertSettings>('/api/alerts/settings', undefined, signal),
  putSettings: (body: AlertSettings) => api.put<AlertSettings>('/api/alerts/settings', body),
};
