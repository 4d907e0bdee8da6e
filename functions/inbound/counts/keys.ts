/**
 * Cycle-count item keys — the only place they are composed.
 * - settings:  pk COUNTSETTINGS        sk SETTINGS
 * - task:      pk COUNTTASK#<taskId>   sk TASK
 *   gsi1: COUNTOPEN#<locationId> / <createdAt>#<taskId>    (open tasks; removed at submit)
 *   gsi2: COUNTDONE#<locationId> / <submittedAt>#<taskId>  (submitted tasks: accuracy)
 * - bin:       pk COUNTBIN#<locationId> sk <binId>  { openTaskId?, lastCountedAt? } — at most one
 *   open task per bin (a retried create finds it) and when the bin was last counted (schedule)
 * - variance:  pk COUNTVAR#<varianceId> sk VARIANCE
 *   gsi1: COUNTVARS#<status> / <countedAt>#<varianceId>   (the approval queue)
 * - velocity:  pk VELOCITY#<yyyy-mm>    sk <sku> { units }  (units shipped in a month)
 *   marker:    pk VELOCITYEVT#<eventId> sk <chunk>          (a shipment counted once)
 * - unit cost: pk SKUCOSTS              sk <sku> { unitCostMinor, currency, at } (last receipt)
 */
export const countKeys = {
  settings: { pk: 'COUNTSETTINGS', sk: 'SETTINGS' },
  task: (taskId: string) => ({ pk: `COUNTTASK#${taskId}`, sk: 'TASK' }),
  openOf: (locationId: string) => `COUNTOPEN#${locationId}`,
  doneOf: (locationId: string) => `COUNTDONE#${locationId}`,
  binsPartition: (locationId: string) => `COUNTBIN#${locationId}`,
  bin: (locationId: string, binId: string) => ({ pk: `COUNTBIN#${locationId}`, sk: binId }),
  variance: (varianceId: string) => ({ pk: `COUNTVAR#${varianceId}`, sk: 'VARIANCE' }),
  variancesWith: (status: string) => `COUNTVARS#${status}`,
  velocityMonth: (month: string) => `VELOCITY#${month}`,
  velocityMarker: (eventId: string, chunk: number) => ({ pk: `VELOCITYEVT#${eventId}`, sk: String(chunk) }),
  costsPartition: 'SKUCOSTS',
  cost: (sku: string) => ({ pk: 'SKUCOSTS', sk: sku }),
};
