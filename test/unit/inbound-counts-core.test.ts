import { describe, expect, it } from 'vitest';
import { binClass, classify } from '../../functions/inbound/counts/core/abc.ts';
import {
  approveVariance,
  blindView,
  putawayZonesFor,
  raiseDueCounts,
  submitCount,
  velocityMonths,
} from '../../functions/inbound/counts/core/counts.ts';
import type { CountBin, CountPorts } from '../../functions/inbound/counts/core/ports.ts';
import { withinTolerance } from '../../functions/inbound/counts/core/tolerance.ts';
import type { CountTask, CountVariance } from '../../functions/inbound/counts/schemas.ts';
import { DEFAULT_COUNT_SETTINGS } from '../../functions/inbound/counts/schemas.ts';
import { Conflict } from '../../functions/shared/errors.ts';

const CUTOFFS = { a: 80, b: 15, c: 5 };

describe('classify (ABC by value velocity)', () => {
  it('ranks by shipped units × unit cost and cuts at 80/15/5 of the total value', () => {
    const rows = classify(
      [
        { sku: 'LOW', shippedUnits: 1000, unitCostMinor: 1 }, // 1,000
        { sku: 'TOP', shippedUnits: 10, unitCostMinor: 7000 }, // 70,000
        { sku: 'MID', shippedUnits: 20, unitCostMinor: 800 }, // 16,000
        { sku: 'NEXT', shippedUnits: 5, unitCostMinor: 1200 }, // 6,000
        { sku: 'TAIL', shippedUnits: 7, unitCostMinor: 1000 }, // 7,000
      ],
      CUTOFFS,
    );
    // Total 100,000: TOP starts at 0 % (A), MID at 70 % (A), TAIL at 86 % (B), NEXT at 93 % (B), LOW at 99 % (C).
    expect(rows.map((r) => [r.sku, r.class, r.value])).toEqual([
      ['TOP', 'A', 70_000],
      ['MID', 'A', 16_000],
      ['TAIL', 'B', 7_000],
      ['NEXT', 'B', 6_000],
      ['LOW', 'C', 1_000],
    ]);
  });

  it('puts SKUs without value in C, breaks ties by SKU, and honours other cut-offs', () => {
    const rows = classify(
      [
        { sku: 'B', shippedUnits: 1, unitCostMinor: 100 },
        { sku: 'A', shippedUnits: 1, unitCostMinor: 100 },
        { sku: 'NOCOST', shippedUnits: 500 },
        { sku: 'NOSALE', shippedUnits: 0, unitCostMinor: 999 },
      ],
      { a: 50, b: 30, c: 20 },
    );
    expect(rows.map((r) => [r.sku, r.class])).toEqual([
      ['A', 'A'],
      ['B', 'B'],
      ['NOCOST', 'C'],
      ['NOSALE', 'C'],
    ]);
    expect(classify([{ sku: 'X', shippedUnits: 0 }], CUTOFFS)[0]?.class).toBe('C');
  });

  it('gives a bin the highest class of what it holds (unknown SKUs are C)', () => {
    const classes = new Map([
      ['A1', 'A'],
      ['B1', 'B'],
    ] as const);
    expect(binClass(['Z', 'B1'], classes)).toBe('B');
    expect(binClass(['B1', 'A1'], classes)).toBe('A');
    expect(binClass(['Z'], classes)).toBe('C');
  });
});

describe('withinTolerance', () => {
  const tol = { units: 2, percent: 2 };
  it('allows ±2 units on a small bin and ±2 % on a big one, whichever is more', () => {
    expect(withinTolerance(10, 10, tol)).toBe(true);
    expect(withinTolerance(10, 12, tol)).toBe(true);
    expect(withinTolerance(10, 7, tol)).toBe(false);
    expect(withinTolerance(500, 490, tol)).toBe(true); // 2 % of 500 = 10
    expect(withinTolerance(500, 489, tol)).toBe(false);
    expect(withinTolerance(0, 2, tol)).toBe(true); // found, not expected
    expect(withinTolerance(0, 3, tol)).toBe(false);
  });
  it('with a zero tolerance only an exact count is within', () => {
    expect(withinTolerance(5, 5, { units: 0, percent: 0 })).toBe(true);
    expect(withinTolerance(5, 4, { units: 0, percent: 0 })).toBe(false);
  });
});

it('velocityMonths spans the current and two previous calendar months, across a year end', () => {
  expect(velocityMonths(new Date('2027-01-15T00:00:00Z'))).toEqual(['2027-01', '2026-12', '2026-11']);
});

/** Counting's ports in memory: one open task for bin A-01, which records 10 × S and 4 × T. */
function rig() {
  const tasks = new Map<string, CountTask>([
    [
      'ct-1',
      {
        taskId: 'ct-1',
        locationId: 'WH1',
        binId: 'A-01',
        status: 'open',
        origin: 'manual',
        createdAt: '2026-12-05T09:00:00.000Z',
        createdBy: 'lead',
      },
    ],
  ]);
  const variances = new Map<string, CountVariance>();
  const bins: CountBin[] = [
    {
      binId: 'A-01',
      type: 'pick',
      walkOrder: 1,
      contents: [
        { sku: 'S', quantity: 10 },
        { sku: 'T', quantity: 4 },
      ],
    },
  ];
  const adjustments: { key: string; delta: number }[] = [];
  const published: { detailType: string; id: string }[] = [];
  const state = { failAdjust: undefined as Error | undefined };
  const ports: CountPorts = {
    store: {
      settings: async () => undefined,
      putSettings: async () => {},
      createTask: async () => ({ created: true }),
      task: async (id) => tasks.get(id),
      openTasks: async () => [],
      submittedTasks: async () => [],
      binStates: async () => [],
      async submit(task, vs) {
        if (tasks.get(task.taskId)?.status !== 'open') return false;
        tasks.set(task.taskId, task);
        for (const v of vs) variances.set(v.varianceId, v);
        return true;
      },
      variance: async (id) => variances.get(id),
      variances: async (status) => [...variances.values()].filter((v) => v.status === status),
      async updateVariance(next, from) {
        const now = variances.get(next.varianceId);
        if (!now || !from.includes(now.status)) return false;
        variances.set(next.varianceId, next);
        return true;
      },
      velocity: async () => [],
    },
    bins: { at: async () => bins },
    locations: { exists: async () => true },
    stockSkus: async (skus) => new Set(skus.filter((s) => s !== 'UNKNOWN')),
    async adjust(cmd) {
      if (state.failAdjust) {
        const e = state.failAdjust;
        state.failAdjust = undefined;
        throw e;
      }
      // Idempotent by key, like inventory.
      if (!adjustments.some((a) => a.key === cmd.idempotencyKey))
        adjustments.push({ key: cmd.idempotencyKey, delta: cmd.delta });
    },
    events: {
      async publish(events) {
        for (const e of events) published.push({ detailType: e.detailType, id: e.detail.metadata.eventId });
      },
    },
    clock: () => new Date('2026-12-05T10:00:00.000Z'),
    newId: () => 'id',
  };
  return { ports, tasks, variances, adjustments, published, state };
}
const who = { actor: 'counter', correlationId: 'c-1' };

describe('submitCount', () => {
  it('posts within tolerance, queues beyond it, and counts a SKU found but not expected', async () => {
    const { ports, variances, adjustments, published } = rig();
    // S: 9 of 10 (within ±2), T: not listed → 0 of 4 (beyond), U: 1 found (within).
    const view = await submitCount(
      ports,
      'ct-1',
      [
        { sku: 'U', quantity: 1 },
        { sku: 'S', quantity: 9 },
      ],
      who,
    );
    expect(view).not.toHaveProperty('lines');
    expect(JSON.stringify(view)).not.toMatch(/expected|delta/);
    const bySku = Object.fromEntries([...variances.values()].map((v) => [v.sku, v]));
    expect(bySku.S).toMatchObject({ delta: -1, status: 'posted', auto: true });
    expect(bySku.U).toMatchObject({ delta: 1, expected: 0, status: 'posted', auto: true });
    expect(bySku.T).toMatchObject({ delta: -4, status: 'pending', auto: false });
    expect(adjustments.map((a) => a.delta).sort()).toEqual([-1, 1]);
    expect(published.filter((e) => e.detailType === 'CountVariancePosted')).toHaveLength(2);
  });

  it('a retry after a crash before the post finishes it once; other counts are refused', async () => {
    const { ports, variances, adjustments, state } = rig();
    state.failAdjust = new Error('network');
    await expect(
      submitCount(
        ports,
        'ct-1',
        [
          { sku: 'S', quantity: 9 },
          { sku: 'T', quantity: 4 },
        ],
        who,
      ),
    ).rejects.toThrow('network');
    expect([...variances.values()][0]?.status).toBe('approved');
    await submitCount(
      ports,
      'ct-1',
      [
        { sku: 'T', quantity: 4 },
        { sku: 'S', quantity: 9 },
      ],
      who,
    );
    await submitCount(
      ports,
      'ct-1',
      [
        { sku: 'S', quantity: 9 },
        { sku: 'T', quantity: 4 },
      ],
      who,
    );
    expect(adjustments).toHaveLength(1);
    expect([...variances.values()][0]?.status).toBe('posted');
    await expect(submitCount(ports, 'ct-1', [{ sku: 'S', quantity: 8 }], who)).rejects.toMatchObject({
      code: 'COUNT_ALREADY_SUBMITTED',
    });
  });

  it('parks an automatic post that inventory refuses, and an approval of it answers the refusal', async () => {
    const { ports, variances, adjustments, state } = rig();
    state.failAdjust = new Conflict('INSUFFICIENT_STOCK', 'reserved');
    await submitCount(
      ports,
      'ct-1',
      [
        { sku: 'S', quantity: 9 },
        { sku: 'T', quantity: 4 },
      ],
      who,
    );
    const [v] = [...variances.values()];
    expect(v).toMatchObject({ status: 'pending', blocked: { code: 'INSUFFICIENT_STOCK' } });
    if (!v) throw new Error('no variance');
    state.failAdjust = new Conflict('INSUFFICIENT_STOCK', 'still reserved');
    await expect(approveVariance(ports, v.varianceId, 'ok', who)).rejects.toMatchObject({
      code: 'INSUFFICIENT_STOCK',
    });
    expect(variances.get(v.varianceId)).toMatchObject({ status: 'pending' });
    expect(variances.get(v.varianceId)?.decidedBy).toBeUndefined();
    expect(adjustments).toHaveLength(0);
    expect(await approveVariance(ports, v.varianceId, 'ok', who)).toMatchObject({
      status: 'posted',
      decidedBy: 'counter',
    });
    expect(adjustments).toHaveLength(1);
  });

  it('refuses SKUs the catalog does not know, with nothing written', async () => {
    const { ports, tasks } = rig();
    await expect(submitCount(ports, 'ct-1', [{ sku: 'UNKNOWN', quantity: 1 }], who)).rejects.toMatchObject({
      code: 'UNKNOWN_SKU',
    });
    expect(tasks.get('ct-1')?.status).toBe('open');
  });
});

it('blindView never passes on what the task keeps for supervisors', () => {
  const task: CountTask = {
    taskId: 'ct-9',
    locationId: 'WH1',
    binId: 'A-01',
    status: 'submitted',
    origin: 'schedule',
    class: 'A',
    createdAt: 'x',
    createdBy: 'system',
    counts: [{ sku: 'S', quantity: 9 }],
    lines: [{ sku: 'S', counted: 9, expected: 10, delta: -1, withinTolerance: true, varianceId: 'v' }],
  };
  expect(Object.keys(blindView(task)).sort()).toEqual(
    ['taskId', 'locationId', 'binId', 'status', 'origin', 'class', 'createdAt', 'counts'].sort(),
  );
  expect(DEFAULT_COUNT_SETTINGS.abcCutoffs).toEqual(CUTOFFS);
});

describe('raiseDueCounts (the schedule)', () => {
  it('raises tasks for storage bins whose class interval has passed, spread over the interval, none for a bin with an open task', async () => {
    const { ports } = rig();
    const day = 86_400_000;
    const now = Date.parse('2026-12-05T10:00:00.000Z');
    const ago = (days: number) => new Date(now - days * day).toISOString();
    ports.bins.at = async () => [
      { binId: 'RECEIVING', type: 'receiving', walkOrder: 0, contents: [{ sku: 'FAST', quantity: 1 }] },
      { binId: 'A-FAST-OLD', type: 'pick', walkOrder: 1, contents: [{ sku: 'FAST', quantity: 1 }] },
      { binId: 'A-FAST-NEW', type: 'pick', walkOrder: 2, contents: [{ sku: 'FAST', quantity: 1 }] },
      { binId: 'C-SLOW', type: 'bulk', walkOrder: 3, contents: [{ sku: 'SLOW', quantity: 1 }] },
      { binId: 'C-NEVER', type: 'bulk', walkOrder: 4, contents: [{ sku: 'SLOW', quantity: 1 }] },
      { binId: 'A-OPEN', type: 'pick', walkOrder: 5, contents: [{ sku: 'FAST', quantity: 1 }] },
      { binId: 'A-NEVER', type: 'pick', walkOrder: 7, contents: [{ sku: 'FAST', quantity: 1 }] },
      { binId: 'EMPTY', type: 'pick', walkOrder: 6, contents: [] },
    ];
    ports.store.binStates = async () => [
      { binId: 'A-FAST-OLD', lastCountedAt: ago(31) },
      { binId: 'A-FAST-NEW', lastCountedAt: ago(29) },
      { binId: 'C-SLOW', lastCountedAt: ago(200) },
      { binId: 'A-OPEN', openTaskId: 'ct-open' },
    ];
    ports.store.velocity = async () => [
      { sku: 'FAST', shippedUnits: 100, unitCostMinor: 500 },
      { sku: 'SLOW', shippedUnits: 1, unitCostMinor: 1 },
    ];
    const created: { binId: string; class?: string }[] = [];
    ports.store.createTask = async (task) => {
      created.push({ binId: task.binId, ...(task.class ? { class: task.class } : {}) });
      return { created: true };
    };
    const raised = await raiseDueCounts(ports, ['WH1'], { actor: 'system', correlationId: 'c' });
    // FAST is A (monthly): 31 days ago is due, 29 is not; SLOW is C (yearly): 200 days is not.
    // Spread over the interval: 4 A bins / 30 days → 1 a day, the never-counted first.
    expect(created).toEqual([
      { binId: 'A-NEVER', class: 'A' },
      { binId: 'C-NEVER', class: 'C' },
    ]);
    expect(raised.map((r) => r.binId)).toEqual(['A-NEVER', 'C-NEVER']);
    // The next day (A-NEVER now open), the overdue one.
    created.length = 0;
    const states = await ports.store.binStates('WH1');
    ports.store.binStates = async () => [
      ...states,
      { binId: 'A-NEVER', openTaskId: 'ct-x' },
      { binId: 'C-NEVER', openTaskId: 'ct-y' },
    ];
    await raiseDueCounts(ports, ['WH1'], { actor: 'system', correlationId: 'c' });
    expect(created).toEqual([{ binId: 'A-FAST-OLD', class: 'A' }]);
  });
});

describe('putawayZonesFor', () => {
  it("names the zone of each SKU's class, none when the class has no zone or no zones are set", async () => {
    const { ports } = rig();
    ports.store.velocity = async () => [
      { sku: 'FAST', shippedUnits: 100, unitCostMinor: 500 },
      { sku: 'SLOW', shippedUnits: 1, unitCostMinor: 1 },
    ];
    expect(await putawayZonesFor(ports, ['FAST', 'NEW'])).toEqual(new Map());
    ports.store.settings = async () => ({
      ...DEFAULT_COUNT_SETTINGS,
      putawayZones: { A: 'FRONT', C: 'BACK' },
    });
    // FAST is A; SLOW and a SKU never shipped are C.
    expect(await putawayZonesFor(ports, ['FAST', 'SLOW', 'NEW'])).toEqual(
      new Map([
        ['FAST', 'FRONT'],
        ['SLOW', 'BACK'],
        ['NEW', 'BACK'],
      ]),
    );
    ports.store.settings = async () => ({ ...DEFAULT_COUNT_SETTINGS, putawayZones: { B: 'MID' } });
    expect(await putawayZonesFor(ports, ['FAST', 'SLOW'])).toEqual(new Map());
  });
});
