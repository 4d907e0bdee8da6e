import { pendingCountVariances } from '#inbound/api';
import { allLocationIds, binsAt } from '#inventory/api';
import { openIntakeExceptions } from '#orders/api';
import { documentClient } from '#shared/clients';
import { eventBridgePublisher } from '#shared/events';
import { tableName } from '#shared/table';
import type { AlertPorts, SweepSources } from '../core/alerts.ts';
import { dynamoAlertStore } from './alert-store.ts';
import { dynamoKpiStore, type KpiStore } from './kpi-store.ts';

let kpis: KpiStore | undefined;
export function kpiStore(): KpiStore {
  kpis ??= dynamoKpiStore(documentClient(), tableName());
  return kpis;
}

/** Reads and the settings: no bus needed (the HTTP function does not publish). */
export function alertReadPorts(): Pick<AlertPorts, 'store' | 'clock'> {
  return { store: dynamoAlertStore(documentClient(), tableName()), clock: () => new Date() };
}

export function alertPorts(): AlertPorts {
  return { ...alertReadPorts(), events: eventBridgePublisher() };
}

export function sweepSources(): SweepSources {
  return {
    openBackorders: () => kpiStore().openBackorders(),
    openIntakeExceptions,
    pendingCountVariances,
  };
}

/** Units on hand in each location's bins now (for inventory turns). */
export async function onHandByLocation(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const locationId of await allLocationIds()) {
    const bins = await binsAt(locationId);
    out.set(
      locationId,
      bins.reduce((n, b) => n + b.contents.reduce((m, c) => m + c.quantity, 0), 0),
    );
  }
  return out;
}
