import { catalogReader } from '#catalog/api';
import type { FinancePorts } from '../core/ports.ts';
import { dynamoFinanceStore } from './finance-store.ts';

/** Finance's ports: its own items, and the catalog's published read for kit components. */
export function financePorts(): FinancePorts {
  const catalog = catalogReader();
  return {
    store: dynamoFinanceStore(),
    async kits(skus) {
      const found = await catalog.getMany(skus);
      return new Map(
        [...found]
          .filter(([, def]) => def.kit?.components.length)
          .map(([sku, def]) => [sku, def.kit?.components ?? []]),
      );
    },
    clock: () => new Date(),
  };
}
