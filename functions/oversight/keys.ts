/**
 * Oversight item keys — the only place they are composed.
 * - kpi day:   pk KPI#<locationId>  sk DAY#<yyyy-mm-dd>   counters of the day (ADD per event);
 *              gsi1 KPIDAYS#<yyyy-mm> / <date>#<locationId> (every location of a month, by day).
 * - seen:      pk OVSEEN#<eventId>  sk EVENT   written in the same transaction as the counters,
 *              so a redelivered event changes nothing (ttl 30 days).
 * - order:     pk OVORDER#<orderId>  sk ORDER   what later events of the order need (received
 *              time, net prices, short pick, its shipment); gsi1 OVBACKORDERS / <at>#<orderId>
 *              while a backorder is open (sparse: the aging sweep's list).
 * - cost:      pk OVCOST#<sku>#<locationId>  sk COST   units and value received (average cost).
 * - alert:     pk ALERT#<alertId>  sk ALERT   gsi1 ALERTS#<status> / <time>#<alertId>.
 * - settings:  pk OVSETTINGS  sk ALERTS.
 */
export const oversightKeys = {
  kpiDay: (locationId: string, date: string) => ({ pk: `KPI#${locationId}`, sk: `DAY#${date}` }),
  kpiDayIndex: (locationId: string, date: string) => ({
    gsi1pk: `KPIDAYS#${date.slice(0, 7)}`,
    gsi1sk: `${date}#${locationId}`,
  }),
  kpiMonth: (month: string) => `KPIDAYS#${month}`,
  kpiLocation: (locationId: string) => `KPI#${locationId}`,
  daySk: (date: string) => `DAY#${date}`,
  seen: (eventId: string) => ({ pk: `OVSEEN#${eventId}`, sk: 'EVENT' }),
  order: (orderId: string) => ({ pk: `OVORDER#${orderId}`, sk: 'ORDER' }),
  backorders: 'OVBACKORDERS',
  cost: (sku: string, locationId: string) => ({ pk: `OVCOST#${sku}#${locationId}`, sk: 'COST' }),
  alert: (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' }),
  alertsWithStatus: (status: 'open' | 'cleared') => `ALERTS#${status}`,
  settings: { pk: 'OVSETTINGS', sk: 'ALERTS' },
};
