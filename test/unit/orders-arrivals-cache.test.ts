import { describe, expect, it } from 'vitest';
import type { SkuArrivals } from '../../functions/inbound/api.ts';
import { ARRIVALS_CACHE_MS, cachedArrivals } from '../../functions/orders/release/adapters/arrivals-cache.ts';

/** A fake inbound: counts reads per SKU and answers what `stock` says at the time of the read. */
function inbound() {
  const reads: string[][] = [];
  const stock = new Map<string, SkuArrivals>();
  let fail = false;
  const read = async (skus: readonly string[]) => {
    reads.push([...skus]);
    if (fail) throw new Error('throttled');
    return new Map(skus.flatMap((s) => (stock.has(s) ? [[s, stock.get(s) as SkuArrivals] as const] : [])));
  };
  return { reads, stock, read, failNext: (f: boolean) => (fail = f) };
}
const po = (quantity: number): SkuArrivals => ({
  arrivals: [{ locationId: 'W', expectedAt: '2026-12-20', quantity }],
});

describe('backorder promises: arrivals reused briefly per SKU', () => {
  it('reads a SKU once for every order within the window, concurrent ones included', async () => {
    const fake = inbound();
    fake.stock.set('A', po(10));
    let now = 1_000;
    const of = cachedArrivals(fake.read, () => now);
    const answers = await Promise.all([of(['A']), of(['A']), of(['A'])]);
    now += ARRIVALS_CACHE_MS - 1;
    answers.push(await of(['A']));
    expect(fake.reads).toEqual([['A']]);
    for (const a of answers) expect(a.get('A')).toEqual(po(10));
  });

  it('reads again after the window, so a new PO shows up in the promise', async () => {
    const fake = inbound();
    let now = 0;
    const of = cachedArrivals(fake.read, () => now);
    expect((await of(['A'])).has('A')).toBe(false);
    fake.stock.set('A', po(5));
    now += ARRIVALS_CACHE_MS;
    expect((await of(['A'])).get('A')).toEqual(po(5));
    expect(fake.reads).toEqual([['A'], ['A']]);
  });

  it('reads only the SKUs it has not got, and keeps no failed read', async () => {
    const fake = inbound();
    fake.stock.set('A', po(1));
    fake.stock.set('B', po(2));
    const of = cachedArrivals(fake.read, () => 0);
    await of(['A']);
    fake.failNext(true);
    await expect(of(['A', 'B'])).rejects.toThrow('throttled');
    fake.failNext(false);
    const both = await of(['A', 'B']);
    expect(fake.reads).toEqual([['A'], ['B'], ['B']]);
    expect([both.get('A'), both.get('B')]).toEqual([po(1), po(2)]);
  });
});
