import { z } from 'zod';
import { defineEvent } from '#shared/events';

export const ALERT_TYPES = [
  'channel_sync',
  'backorder_aging',
  'cutoff_risk',
  'count_variance',
  'stockout_risk',
  'intake_exceptions',
  'inventory_mismatch',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

const alertFields = {
  alertId: z.string(),
  /** `type:subject`: the same cause is one alert, raised once while it lasts. */
  key: z.string(),
  type: z.enum(ALERT_TYPES),
  subject: z.string(),
  locationId: z.string().nullable(),
  message: z.string(),
  /** The console screen where the cause is resolved. */
  link: z.string(),
};

/** An exceptional condition began (a channel failing, a backorder aging, ...): someone should act. */
export const AlertRaised = defineEvent({
  source: 'qm.oversight',
  detailType: 'AlertRaised',
  version: 1,
  data: z.object({ ...alertFields, raisedAt: z.string() }),
});

/** The cause of an open alert is gone; the alert closed by itself. */
export const AlertCleared = defineEvent({
  source: 'qm.oversight',
  detailType: 'AlertCleared',
  version: 1,
  data: z.object({ ...alertFields, raisedAt: z.string(), clearedAt: z.string() }),
});
