import { catalogReader } from '#catalog/api';
import { kpiExportRows } from '#oversight/api';
import type { ExportPorts } from '../core/exports.ts';
import type { FinancePorts } from '../core/ports.ts';
import { dynamoExportStore, s3ExportTarget } from './export-store.ts';
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

/** The export's ports: finance's items, the cost history, S3 for the files. */
export function exportPorts(): ExportPorts {
  const runs = dynamoExportStore();
  return {
    store: dynamoFinanceStore(),
    valuationAsOf: (at) => runs.valuationAsOf(at),
    target: s3ExportTarget(),
    kpisOfDay: kpiExportRows,
    putRun: (run) => runs.putRun(run),
    clock: () => new Date(),
  };
}
