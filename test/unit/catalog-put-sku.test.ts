import { describe, expect, it } from 'vitest';
import { putSku, type SkuRepository } from '../../functions/catalog/core/put-sku.ts';
import type { Sku } from '../../functions/catalog/schemas/sku.ts';
import type { DomainEvent } from '../../functions/shared/events.ts';

function fakeRepo(initial: Sku[]) {
  const skus = new Map(initial.map((s) => [s.sku, s]));
  const repo: SkuRepository = {
    async get(id) {
      return skus.get(id);
    },
    async getMany(ids) {
      return new Map(ids.flatMap((id) => (skus.has(id) ? [[id, skus.get(id) as Sku]] : [])));
    },
    async kitsContaining(id) {
      return [...skus.values()].filter((s) => s.kit?.components.some((c) => c.sku === id)).map((s) => s.sku);
    },
    async save(next) {
      skus.set(next.sku, next);
    },
  };
  return { repo, skus };
}

const sku = (id: string, extra: Partial<Sku> = {}): Sku => ({
  sku: id,
  name: id,
  createdAt: 't',
  updatedAt: 't',
  ...extra,
});
const ports = (repo: SkuRepository, events: DomainEvent[] = []) => ({
  skus: repo,
  events: { publish: async (list: readonly DomainEvent[]) => void events.push(...list) },
  clock: () => new Date('2026-01-01T00:00:00.000Z'),
});

describe('putting a kit', () => {
  it('stores the components and announces SkuUpserted with them', async () => {
    const { repo, skus } = fakeRepo([sku('MUG'), sku('LID')]);
    const events: DomainEvent[] = [];
    await putSku(
      ports(repo, events),
      'SET',
      {
        name: 'Set',
        kit: {
          components: [
            { sku: 'MUG', quantity: 2 },
            { sku: 'LID', quantity: 1 },
          ],
        },
      },
      'c1',
    );
    expect(skus.get('SET')?.kit?.components).toHaveLength(2);
    expect(events[0]?.detail.data).toMatchObject({
      sku: 'SET',
      isKit: true,
      components: [
        { sku: 'MUG', quantity: 2 },
        { sku: 'LID', quantity: 1 },
      ],
    });
    expect(await repo.kitsContaining('MUG')).toEqual(['SET']);
  });

  it.each([
    ['contains itself', [{ sku: 'SET', quantity: 1 }]],
    [
      'lists a component twice',
      [
        { sku: 'MUG', quantity: 1 },
        { sku: 'MUG', quantity: 2 },
      ],
    ],
    ['names an unknown component', [{ sku: 'NOPE', quantity: 1 }]],
    ['nests another kit', [{ sku: 'BOX', quantity: 1 }]],
  ])('refuses a kit that %s, naming kit.components', async (_case, components) => {
    const { repo } = fakeRepo([
      sku('MUG'),
      sku('BOX', { kit: { components: [{ sku: 'MUG', quantity: 1 }] } }),
    ]);
    await expect(
      putSku(ports(repo), 'SET', { name: 'Set', kit: { components } }, 'c1'),
    ).rejects.toMatchObject({
      status: 400,
      details: { issues: [{ field: 'kit.components' }] },
    });
  });
});
