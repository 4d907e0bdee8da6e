import type { EventPublisher } from '#shared/events';
import type { MarkedEvent, PlanningSettings } from '../schemas/planning.ts';
import type { AbcClass, ForecastRecord } from './plan.ts';
import type { Arrival, Suggestion } from './replenishment.ts';
import type { FollowedPo } from './suppliers.ts';

export interface PlanningRun {
  runId: string;
  asOf: string;
  horizonDays: number;
  status: 'requested' | 'running' | 'succeeded' | 'failed';
  requestedAt: string;
  requestedBy: string;
  finishedAt?: string;
  error?: string;
  backtest?: {
    wape: number | null;
    bias: number | null;
    mase: number | null;
    baseline: { wape: number | null; bias: number | null; mase: number | null };
    series: number;
  };
  methods?: Record<string, number>;
  suggestions?: { po: number; transfer: number };
  riskChanges?: number;
}

export interface RiskState {
  atRisk: boolean;
  stockoutDate: string | null;
}

/** Planning's own items. */
export interface PlanningStore {
  settings(): Promise<PlanningSettings | undefined>;
  markedEvents(): Promise<MarkedEvent[]>;
  seriesKeys(): Promise<{ sku: string; locationId: string }[]>;
  /** Demand per day in [from, to], days without a record left out. */
  demand(
    sku: string,
    locationId: string,
    from: string,
    to: string,
  ): Promise<{ date: string; quantity: number }[]>;
  followedPos(): Promise<FollowedPo[]>;
  /** The supplier of each SKU's latest PO. */
  skuSuppliers(): Promise<Map<string, string>>;
  /** Units on open backorders per SKU. */
  backorders(): Promise<Map<string, number>>;
  riskStates(): Promise<Map<string, RiskState>>;
  putRun(run: PlanningRun): Promise<void>;
  /** Writes a run's forecasts and suggestions (under the run: readers see them once it is the latest). */
  writeResults(
    runId: string,
    forecasts: readonly ForecastRecord[],
    suggestions: readonly Suggestion[],
  ): Promise<void>;
  setLatest(runId: string, finishedAt: string): Promise<void>;
  putRiskStates(states: readonly (RiskState & { sku: string; locationId: string })[]): Promise<void>;
}

/** What planning reads from other contexts, through their APIs. */
export interface PlanningPorts {
  store: PlanningStore;
  suppliers(): Promise<
    Map<string, { leadTimeDays: number; moq?: number | undefined; casePack?: number | undefined }>
  >;
  abcClasses(): Promise<Map<string, AbcClass>>;
  /** Free units (available) per SKU and location. */
  onHand(skus: readonly string[]): Promise<Map<string, Map<string, number>>>;
  /** Open PO lines and transfers in transit per SKU and location, by expected day. */
  arrivals(skus: readonly string[]): Promise<Map<string, Map<string, Arrival[]>>>;
  events: EventPublisher;
  clock: () => Date;
}
