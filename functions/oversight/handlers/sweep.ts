import { randomUUID } from 'node:crypto';
import { alertPorts, kpiStore, onHandByLocation, sweepSources } from '../adapters/wiring.ts';
import { sweepAlerts } from '../core/alerts.ts';

const ports = alertPorts();
const sources = sweepSources();

/**
 * Schedule: alerts whose cause is a state rather than an event (aging backorders, intake
 * exceptions piling up, count variances waiting, cutoffs gone by), raised or cleared; and each
 * location's units on hand for today's inventory turns.
 */
export async function sweep(): Promise<{ raised: number; cleared: number; locations: number }> {
  const now = new Date();
  const onHand = await onHandByLocation();
  const today = now.toISOString().slice(0, 10);
  for (const [locationId, units] of onHand) await kpiStore().setOnHand(locationId, today, units);
  const out = await sweepAlerts(ports, sources, `oversight-sweep-${randomUUID()}`);
  return { ...out, locations: onHand.size };
}
