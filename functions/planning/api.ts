/**
 * Planning's front door: the events and types other contexts, the deployer and the console may
 * use. Nothing else under `functions/planning/` is imported from outside it. Planning reads other
 * contexts through their APIs and events; the business reads planning through its routes.
 */
export type { ForecastMethod } from './core/forecast.ts';
export type { ForecastRecord, PlanInput, PlanOutput, SeriesInput } from './core/plan.ts';
/**
 * A planning run over series held in memory, outside the table (the bench): the same forecasts,
 * backtest and suggestions as a requested run.
 */
export { planRun } from './core/plan.ts';
export type { Suggestion, SuggestionInputs } from './core/replenishment.ts';
export type { SupplierPerformance } from './core/suppliers.ts';
export { PlanningRunRequested } from './events/planning-run-requested.ts';
export { StockoutRiskChanged } from './events/stockout-risk-changed.ts';
export type { MarkedEvent, PlanningSettings } from './schemas/planning.ts';

/** GET /api/planning/runs/{runId} and the items of GET /api/planning/runs. */
export type PlanningRunView = ReturnType<typeof import('./core/run.ts').runView>;
