import type { TestRuntime } from './runtime.ts';

/**
 * Drives the warehouse floor through the public HTTP routes only, the way the console's scanner
 * and pack station do: plan waves, pick every task (bin scan, then the units), pack every unit,
 * enter a package, ship. Shared by the fulfillment end-to-end test and the fulfillment bench.
 */

type Call = Awaited<ReturnType<TestRuntime['api']>>;

function ok(res: Call, what: string): Call {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

export interface PlannedWave {
  waveId: string;
  cutoffAt?: string | null;
  fulfillmentIds: string[];
  taskCount: number;
}

/** Plans waves at a location until nothing is ready; answers them in planning order. */
export async function planAllWaves(
  rt: TestRuntime,
  locationId: string,
  maxOrders = 50,
): Promise<PlannedWave[]> {
  const waves: PlannedWave[] = [];
  for (;;) {
    const res = ok(
      await rt.api('POST', '/api/waves', { role: 'supervisor', body: { locationId, maxOrders } }),
      'plan wave',
    );
    if (!res.body.waveId) return waves;
    waves.push(res.body as PlannedWave);
  }
}

export interface PickOptions {
  /** Who picks (each associate signs in as themself). @default 'associate-1' */
  associate?: string;
  /** Scan units one at a time instead of one scan with a count. @default false */
  unitByUnit?: boolean;
  /** Called with each scan call's latency (ms), for the bench. */
  onScan?: (ms: number) => void;
}

/** One associate: takes the wave's next task until none is left; answers the units picked. */
export async function pickWave(rt: TestRuntime, waveId: string, opts: PickOptions = {}): Promise<number> {
  let units = 0;
  let scanSeq = 0;
  const associate = opts.associate ?? 'associate-1';
  const auth = {
    role: null,
    headers: { authorization: `Bearer ${await rt.token('warehouse-associate', associate)}` },
  };
  const scan = async (taskId: string, body: Record<string, unknown>) => {
    const t0 = performance.now();
    const res = await rt.api('POST', `/api/pick-tasks/${taskId}/scans`, {
      ...auth,
      body: { ...body, scanId: `${taskId}-${associate}-${++scanSeq}` },
    });
    opts.onScan?.(performance.now() - t0);
    return ok(res, `scan ${JSON.stringify(body)} on ${taskId}`);
  };
  for (;;) {
    const next = await rt.api('GET', `/api/pick-tasks/next?waveId=${encodeURIComponent(waveId)}`, auth);
    if (next.status === 204) return units;
    const task = ok(next, 'next pick task').body;
    await scan(task.taskId, { code: task.binCode });
    const code = task.barcodes[0] as string;
    let left = task.quantity - task.pickedQuantity;
    while (left > 0) {
      const quantity = opts.unitByUnit ? 1 : left;
      await scan(task.taskId, { code, quantity });
      left -= quantity;
      units += quantity;
    }
  }
}

/** The pack station: every unit scanned, one package, then ship; answers the fulfillment as shipped. */
export async function packAndShip(rt: TestRuntime, fulfillmentId: string, tracking: string) {
  const id = encodeURIComponent(fulfillmentId);
  const f = ok(
    await rt.api('GET', `/api/fulfillments/${id}`, { role: 'warehouse-associate' }),
    'fulfillment',
  ).body;
  for (const line of f.lines as { sku: string; quantity: number; packed: number }[]) {
    for (let n = line.packed; n < line.quantity; n++)
      ok(
        await rt.api('POST', `/api/fulfillments/${id}/pack-scans`, {
          role: 'warehouse-associate',
          body: { code: line.sku },
        }),
        `pack scan ${line.sku}`,
      );
  }
  ok(
    await rt.api('POST', `/api/fulfillments/${id}/packages`, {
      role: 'warehouse-associate',
      body: { packages: [{ weightGrams: 850, lengthMm: 300, widthMm: 200, heightMm: 120 }] },
    }),
    'packages',
  );
  return ok(
    await rt.api('POST', `/api/fulfillments/${id}/ship`, {
      role: 'warehouse-associate',
      body: { carrier: 'UPS', service: 'ground', trackingNumber: tracking },
    }),
    'ship',
  ).body;
}

export interface FloorPlan {
  site: string;
  timeZone: string;
  skus: readonly string[];
  bins: readonly { binId: string; zone: string; walkOrder: number }[];
  /** Units received per SKU, split over two bins so tasks span bins and zones. */
  unitsPerSku: number;
  /** Hours from now of the express (expedited) and ground (standard) cutoffs. */
  cutoffHours: { express: number; ground: number };
}

/**
 * The floor the end-to-end test and the bench share: two zones of two bins in New York time,
 * the express cutoff 3 h and the ground one 5 h from now.
 */
export function twoZoneFloor(site: string, skus: readonly string[], unitsPerSku: number): FloorPlan {
  return {
    site,
    timeZone: 'America/New_York',
    skus,
    bins: [
      { binId: 'A-01', zone: 'A', walkOrder: 10 },
      { binId: 'A-02', zone: 'A', walkOrder: 20 },
      { binId: 'B-01', zone: 'B', walkOrder: 30 },
      { binId: 'B-02', zone: 'B', walkOrder: 40 },
    ],
    unitsPerSku,
    cutoffHours: { express: 3, ground: 5 },
  };
}

/** The lines of the i-th order at volume: one unit of a SKU, every third order one of the next SKU too. */
export function volumeOrderLines(skus: readonly string[], i: number): { sku: string; quantity: number }[] {
  const sku = (n: number) => skus[n % skus.length] as string;
  return i % 3 === 0
    ? [
        { sku: sku(i), quantity: 1 },
        { sku: sku(i + 1), quantity: 1 },
      ]
    : [{ sku: sku(i), quantity: 1 }];
}

/** HH:mm in a time zone, `hours` from now (a cutoff later today, or tomorrow near midnight). */
export function localTimeIn(timeZone: string, hours: number): string {
  const at = new Date(Date.now() + hours * 3_600_000);
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(at)
    .slice(0, 5);
}

/**
 * A warehouse ready for orders: SKUs with barcodes, the site in its time zone, pick bins, stock
 * received into the bins, a carrier with two cutoffs there, and a storefront channel selling from it.
 */
export async function openFloor(rt: TestRuntime, plan: FloorPlan): Promise<void> {
  const { site, bins } = plan;
  for (const [i, sku] of plan.skus.entries())
    ok(
      await rt.api('PUT', `/api/skus/${sku}`, { body: { name: sku, barcodes: [`0000000${i}1234`] } }),
      'sku',
    );
  ok(
    await rt.api('PUT', `/api/locations/${site}`, {
      body: {
        name: site,
        type: 'warehouse',
        timezone: plan.timeZone,
        address: { line1: '1 Dock Rd', city: 'Newark', region: 'NJ', postalCode: '07102', country: 'US' },
      },
    }),
    'location',
  );
  for (const bin of bins)
    ok(
      await rt.api('PUT', `/api/locations/${site}/bins/${bin.binId}`, {
        role: 'supervisor',
        body: { zone: bin.zone, walkOrder: bin.walkOrder, type: 'pick' },
      }),
      'bin',
    );
  for (const [i, sku] of plan.skus.entries()) {
    for (const bin of [bins[i % bins.length], bins[(i + 1) % bins.length]]) {
      ok(
        await rt.api('POST', '/api/inventory/receipts', {
          body: {
            sku,
            locationId: site,
            binId: bin?.binId,
            quantity: plan.unitsPerSku / 2,
            reason: 'opening stock',
            idempotencyKey: `open-${site}-${sku}-${bin?.binId}`,
          },
        }),
        'receipt',
      );
    }
  }
  ok(
    await rt.api('PUT', '/api/carriers/UPS', {
      role: 'supervisor',
      body: {
        name: 'UPS',
        services: [
          {
            code: 'express',
            serviceLevels: ['expedited'],
            cutoffs: [{ locationId: site, time: localTimeIn(plan.timeZone, plan.cutoffHours.express) }],
          },
          {
            code: 'ground',
            serviceLevels: ['standard'],
            cutoffs: [{ locationId: site, time: localTimeIn(plan.timeZone, plan.cutoffHours.ground) }],
          },
        ],
      },
    }),
    'carrier',
  );
}

/** Fulfillments of a location in one status (one page is enough for the scenarios here). */
export async function fulfillmentsAt(rt: TestRuntime, locationId: string, status: string): Promise<any[]> {
  return ok(
    await rt.api('GET', `/api/fulfillments?locationId=${locationId}&status=${status}&limit=500`),
    'fulfillments',
  ).body.items;
}

/** Waits until `count` fulfillments are released at a location (the release path runs behind the API). */
export async function awaitReleased(rt: TestRuntime, locationId: string, count: number, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  let released: any[] = [];
  while (Date.now() < until) {
    await rt.settle();
    released = await fulfillmentsAt(rt, locationId, 'released');
    if (released.length >= count) return released;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${released.length} of ${count} fulfillments released at ${locationId}`);
}

/** Runs `work` over `items` with `width` workers at once (senders, associates or pack stations side by side). */
export async function sideBySide<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < items.length; i = next++) await work(items[i] as T);
    }),
  );
}
