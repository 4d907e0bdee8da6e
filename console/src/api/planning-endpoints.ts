import type {
  ForecastRecord,
  MarkedEvent,
  PlanningRunView,
  PlanningSettings,
  SuggestionInputs,
  SupplierPerformance,
} from '../../../functions/planning/api.ts';
import { api, apiPath } from './client.ts';

/** A suggestion as GET /api/planning/suggestions answers it. */
export interface SuggestionView {
  type: 'po' | 'transfer';
  sku: string;
  locationId: string;
  quantity: number;
  supplierId?: string;
  fromLocationId?: string;
  inputs: SuggestionInputs;
  stockoutDate: string | null;
}

export type ForecastView = Pick<
  ForecastRecord,
  'sku' | 'locationId' | 'method' | 'pattern' | 'daily' | 'backtest'
> & {
  runId: string;
};

export type SupplierPerformanceView = SupplierPerformance & {
  name: string;
  statedLeadTimeDays: number | null;
};

/** The planning screen's routes, apart from `endpoints.ts`: only that screen imports them. */
export const planningEndpoints = {
  runs: (signal?: AbortSignal) =>
    api.get<{ latestRunId: string | null; items: PlanningRunView[] }>(
      '/api/planning/runs',
      undefined,
      signal,
    ),
  requestRun: (body: { horizonDays?: number }) => api.post<{ runId: string }>('/api/planning/runs', body),
  suggestions: (type: 'po' | 'transfer', signal?: AbortSignal) =>
    api.get<{ runId: string | null; items: SuggestionView[] }>('/api/planning/suggestions', { type }, signal),
  forecast: (sku: string, locationId: string, signal?: AbortSignal) =>
    api.get<ForecastView>(apiPath`/api/planning/forecasts/${sku}`, { locationId }, signal),
  history: (sku: string, locationId: string, signal?: AbortSignal) =>
    api.get<{ days: { date: string; quantity: number; excluded: boolean }[] }>(
      '/api/planning/demand-history',
      { sku, locationId },
      signal,
    ),
  suppliers: (signal?: AbortSignal) =>
    api.get<{ items: SupplierPerformanceView[] }>('/api/planning/suppliers', undefined, signal),
  settings: (signal?: AbortSignal) => api.get<PlanningSettings>('/api/planning/settings', undefined, signal),
  events: (signal?: AbortSignal) =>
    api.get<{ events: MarkedEvent[] }>('/api/planning/events', undefined, signal),
  putEvents: (events: MarkedEvent[]) =>
    api.put<{ events: MarkedEvent[] }>('/api/planning/events', { events }),
  uploadHistory: (csv: string) =>
    api.postCsv<{ rows: number; series: number; from: string; to: string }>(
      '/api/planning/demand-history',
      csv,
    ),
  createPurchaseOrder: (body: {
    poId: string;
    supplierId: string;
    locationId: string;
    expectedAt: string;
    lines: { sku: string; quantity: number; unitCost: string }[];
  }) => api.post<{ poId: string }>('/api/purchase-orders', body),
  createTransfer: (body: {
    transferId: string;
    fromLocationId: string;
    toLocationId: string;
    lines: { sku: string; quantity: number }[];
  }) => api.post<{ transferId: string }>('/api/transfers', body),
};
