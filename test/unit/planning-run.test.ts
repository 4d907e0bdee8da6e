import { describe, expect, it } from 'vitest';
import type { PlanningPorts, PlanningRun, RiskState } from '../../functions/planning/core/ports.ts';
import { executeRun, runView } from '../../functions/planning/core/run.ts';
import type { DomainEvent } from '../../functions/shared/events.ts';

const ASOF = '2026-06-01';
const dayBefore = (n: number) =>
  new Date(Date.parse(`${ASOF}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

/** In-memory ports: two series (a steady seller with no stock, a slow one with plenty), one supplier. */
function fakePorts(onHandB = 500) {
  const log: string[] = [];
  const published: DomainEvent[] = [];
  const risk = new Map<string, RiskState>();
  const runs = new Map<string, PlanningRun>();
  const demand = new Map<string, { date: string; quantity: number }[]>([
    ['A#WH1', Array.from({ length: 56 }, (_, i) => ({ date: dayBefore(56 - i), quantity: 10 }))],
    [
      'B#WH1',
      Array.from({ length: 56 }, (_, i) => ({ date: dayBefore(56 - i), quantity: i % 7 === 0 ? 3 : 0 })),
    ],
  ]);
  const ports: PlanningPorts = {
    store: {
      settings: async () => undefined,
      markedEvents: async () => [],
      seriesKeys: async () => [
        { sku: 'A', locationId: 'WH1' },
        { sku: 'B', locationId: 'WH1' },
      ],
      demand: async (sku, loc) => demand.get(`${sku}#${loc}`) ?? [],
      followedPos: async () => [],
      skuSuppliers: async () => new Map([['A', 'ACME']]),
      backorders: async () => new Map(),
      riskStates: async () => new Map(risk),
      putRun: async (run) => {
        runs.set(run.runId, run);
        log.push(`run:${run.status}`);
      },
      writeResults: async (_id, forecasts, suggestions) => {
        log.push(`results:${forecasts.length}:${suggestions.length}`);
      },
      setLatest: async () => {
        log.push('latest');
      },
      putRiskStates: async (states) => {
        for (const s of states) risk.set(`${s.sku}#${s.locationId}`, s);
        log.push(`risk:${states.length}`);
      },
    },
    suppliers: async () => new Map([['ACME', { leadTimeDays: 5, moq: 30, casePack: 10 }]]),
    abcClasses: async () => new Map([['A', 'A' as const]]),
    onHand: async () => new Map([['B', new Map([['WH1', onHandB]])]]),
    arrivals: async () => new Map(),
    events: {
      publish: async (events) => {
        published.push(...events);
        log.push(`publish:${events.length}`);
      },
    },
    clock: () => new Date(`${ASOF}T06:00:00Z`),
  };
  return { ports, log, published, runs, risk };
}

const request = (runId: string): PlanningRun => ({
  runId,
  asOf: ASOF,
  horizonDays: 28,
  status: 'requested',
  requestedAt: `${ASOF}T05:59:00Z`,
  requestedBy: 'test',
});

describe('executeRun', () => {
  it('writes results, then makes the run the latest, then announces only changed risk states', async () => {
    const { ports, log, published, runs } = fakePorts();
    const done = await executeRun(ports, request('r1'));
    expect(log).toEqual(['run:running', 'results:2:1', 'latest', 'publish:1', 'risk:1', 'run:succeeded']);
    expect(published.map((e) => [e.detailType, e.detail.data])).toEqual([
      [
        'StockoutRiskChanged',
        { sku: 'A', locationId: 'WH1', atRisk: true, stockoutDate: ASOF, leadTimeDays: 5 },
      ],
    ]);
    expect(done.suggestions).toEqual({ po: 1, transfer: 0 });
    const view = runView(runs.get('r1') as PlanningRun);
    expect(view.status).toBe('succeeded');
    expect(view.backtest.series).toBe(2);
    expect(typeof view.backtest.baseline.wape).toBe('number');

    // The next run: nothing changed, nothing announced.
    log.length = 0;
    await executeRun(ports, request('r2'));
    expect(log).not.toContain('publish:1');
    expect(published).toHaveLength(1);
  });

  it('re-sends the same event ids when a run is delivered again before its risk states were kept', async () => {
    const a = fakePorts();
    const b = fakePorts();
    await executeRun(a.ports, request('r1'));
    await executeRun(b.ports, request('r1'));
    expect(a.published[0]?.detail.metadata.eventId).toBe(b.published[0]?.detail.metadata.eventId);
  });

  it('records a failed run with its reason and throws, so the bus retries', async () => {
    const { ports, runs } = fakePorts();
    ports.onHand = async () => {
      throw new Error('inventory unavailable');
    };
    await expect(executeRun(ports, request('r3'))).rejects.toThrow('inventory unavailable');
    expect(runs.get('r3')).toMatchObject({ status: 'failed', error: 'inventory unavailable' });
  });
});
