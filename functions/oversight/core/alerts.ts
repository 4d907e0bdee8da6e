import { createHash } from 'node:crypto';
import { derivedEvent, type EventPublisher } from '#shared/events';
import { AlertCleared, AlertRaised, type AlertType } from '../events/alerts.ts';

/**
 * Exception alerts. An alert is one cause (`type:subject`, e.g. `channel_sync:shop-1`): raised
 * once while the cause lasts, cleared when it is gone, raised again if it comes back. Each
 * transition is a conditional write on the alert's item, then its event (AlertRaised,
 * AlertCleared). Causes carry their own time (`causeAt`), so a late redelivery of an old cause
 * never reopens an alert a newer event closed.
 */

export interface AlertSettings {
  /** A backorder older than this raises `backorder_aging`. */
  backorderAgeHours: number;
  /** This many open intake exceptions (or more) raise `intake_exceptions`. */
  intakeExceptionsOpen: number;
  /** Types never raised (open ones of a muted type clear at the next sweep). */
  muted: AlertType[];
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  backorderAgeHours: 24,
  intakeExceptionsOpen: 10,
  muted: [],
};

export interface AlertCause {
  type: AlertType;
  subject: string;
  locationId: string | null;
  message: string;
  link: string;
  /** Facts the sweep needs later (a cutoff time). */
  detail?: Record<string, string>;
}

export interface Alert extends AlertCause {
  alertId: string;
  key: string;
  status: 'open' | 'cleared';
  raisedAt: string;
  clearedAt?: string;
  acknowledgedBy?: string;
  acknowledgedAt?: string;
  /** The time of the newest cause that opened or closed it. */
  causeAt: string;
}

export interface AlertStore {
  /** Opens the alert unless it is open, or a newer cause closed it; the alert when it opened. */
  raise(alert: Alert): Promise<Alert | undefined>;
  /** Closes an open alert opened by an older cause; the alert when it closed. */
  close(alertId: string, clearedAt: string, causeAt: string): Promise<Alert | undefined>;
  get(alertId: string): Promise<Alert | undefined>;
  list(status: 'open' | 'cleared', limit: number): Promise<Alert[]>;
  acknowledge(alertId: string, by: string, at: string): Promise<Alert | undefined>;
  settings(): Promise<AlertSettings>;
  putSettings(settings: AlertSettings): Promise<void>;
}

export interface AlertPorts {
  store: AlertStore;
  events: EventPublisher;
  clock: () => Date;
}

export const alertKey = (type: AlertType, subject: string) => `${type}:${subject}`;
export const alertIdOf = (key: string) => `al-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;

const published = (a: Alert) => ({
  alertId: a.alertId,
  key: a.key,
  type: a.type,
  subject: a.subject,
  locationId: a.locationId,
  message: a.message,
  link: a.link,
  raisedAt: a.raisedAt,
});

/** Raises the cause's alert (once while it is open); false when nothing changed. */
export async function raiseAlert(
  ports: AlertPorts,
  cause: AlertCause,
  causeAt: string,
  correlationId: string,
  settings?: AlertSettings,
): Promise<boolean> {
  if ((settings ?? (await ports.store.settings())).muted.includes(cause.type)) return false;
  const key = alertKey(cause.type, cause.subject);
  const raisedAt = ports.clock().toISOString();
  const opened = await ports.store.raise({
    ...cause,
    alertId: alertIdOf(key),
    key,
    status: 'open',
    raisedAt,
    causeAt,
  });
  if (!opened) return false;
  await ports.events.publish([
    derivedEvent(AlertRaised, published(opened), `${key}@${raisedAt}`, raisedAt, correlationId),
  ]);
  return true;
}

/** Clears the alert of `type:subject` if it is open; false when nothing changed. */
export async function clearAlert(
  ports: AlertPorts,
  type: AlertType,
  subject: string,
  causeAt: string,
  correlationId: string,
): Promise<boolean> {
  const clearedAt = ports.clock().toISOString();
  const closed = await ports.store.close(alertIdOf(alertKey(type, subject)), clearedAt, causeAt);
  if (!closed) return false;
  await ports.events.publish([
    derivedEvent(
      AlertCleared,
      { ...published(closed), clearedAt },
      `${closed.key}@${closed.raisedAt}#cleared`,
      clearedAt,
      correlationId,
    ),
  ]);
  return true;
}

/** What the sweep reads from the other contexts. */
export interface SweepSources {
  openBackorders(): Promise<{ orderId: string; backorderedAt: string }[]>;
  openIntakeExceptions(atMost: number): Promise<number>;
  pendingCountVariances(): Promise<
    { taskId: string; sku: string; locationId: string; binId: string; expected: number; counted: number }[]
  >;
}

export const countVarianceCause = (v: {
  taskId: string;
  sku: string;
  locationId: string;
  binId: string;
  expected: number;
  counted: number;
}): AlertCause => ({
  type: 'count_variance',
  subject: `${v.taskId}/${v.sku}`,
  locationId: v.locationId,
  message: `Count of ${v.sku} in bin ${v.binId} at ${v.locationId}: counted ${v.counted}, expected ${v.expected} — beyond tolerance, waits for approval`,
  link: '/warehouse/variances',
});

/**
 * The scheduled sweep: causes that are states, not events (a backorder growing old, exceptions
 * piling up, variances waiting for approval, a cutoff gone by). Raises the alerts whose cause
 * holds now and clears the open ones whose cause does not.
 */
export async function sweepAlerts(
  ports: AlertPorts,
  sources: SweepSources,
  correlationId: string,
): Promise<{ raised: number; cleared: number }> {
  const settings = await ports.store.settings();
  const now = ports.clock();
  const nowIso = now.toISOString();
  const open = await ports.store.list('open', 1000);
  let raised = 0;
  let cleared = 0;
  const reconcile = async (type: AlertType, causes: AlertCause[]) => {
    const wanted = settings.muted.includes(type) ? [] : causes;
    const subjects = new Set(wanted.map((c) => c.subject));
    for (const cause of wanted) if (await raiseAlert(ports, cause, nowIso, correlationId, settings)) raised++;
    for (const a of open) {
      if (
        a.type === type &&
        !subjects.has(a.subject) &&
        (await clearAlert(ports, type, a.subject, nowIso, correlationId))
      )
        cleared++;
    }
  };

  const ageMs = settings.backorderAgeHours * 3_600_000;
  const aging = (await sources.openBackorders()).filter(
    (b) => now.getTime() - Date.parse(b.backorderedAt) >= ageMs,
  );
  await reconcile(
    'backorder_aging',
    aging.map((b) => ({
      type: 'backorder_aging',
      subject: b.orderId,
      locationId: null,
      message: `Order ${b.orderId} has waited for stock since ${b.backorderedAt} (over ${settings.backorderAgeHours} h)`,
      link: `/orders/${encodeURIComponent(b.orderId)}`,
    })),
  );

  const exceptions = await sources.openIntakeExceptions(settings.intakeExceptionsOpen);
  await reconcile(
    'intake_exceptions',
    exceptions >= settings.intakeExceptionsOpen
      ? [
          {
            type: 'intake_exceptions',
            subject: 'open',
            locationId: null,
            message: `${exceptions} or more channel deliveries are waiting in intake exceptions`,
            link: '/intake',
          },
        ]
      : [],
  );

  await reconcile('count_variance', (await sources.pendingCountVariances()).map(countVarianceCause));

  for (const a of open) {
    if (
      settings.muted.includes(a.type) &&
      (await clearAlert(ports, a.type, a.subject, nowIso, correlationId))
    )
      cleared++;
  }

  // A fulfillment at cutoff risk is no longer at risk once its cutoff has passed (it shipped or missed).
  for (const a of open) {
    const cutoffAt = a.detail?.cutoffAt;
    if (a.type === 'cutoff_risk' && cutoffAt && Date.parse(cutoffAt) < now.getTime()) {
      if (await clearAlert(ports, 'cutoff_risk', a.subject, nowIso, correlationId)) cleared++;
    }
  }
  return { raised, cleared };
}

/** What one event means for alerts: a cause began, or one ended. */
export type AlertSignal =
  | { action: 'raise'; cause: AlertCause; at: string }
  | { action: 'clear'; type: AlertType; subject: string; at: string };

export async function applySignals(
  ports: AlertPorts,
  signals: readonly AlertSignal[],
  correlationId: string,
): Promise<void> {
  if (signals.length === 0) return;
  const settings = await ports.store.settings();
  for (const s of signals) {
    if (s.action === 'raise') await raiseAlert(ports, s.cause, s.at, correlationId, settings);
    else await clearAlert(ports, s.type, s.subject, s.at, correlationId);
  }
}
