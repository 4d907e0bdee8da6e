import { httpHandler, ok, requirePrincipal } from '#shared/http';
import { alertReadPorts } from '../adapters/wiring.ts';
import { AlertNotFound, AlertNotOpen } from '../errors.ts';
import { alertListQuery, alertParams, alertSettingsBody } from '../schemas/oversight.ts';

const ports = alertReadPorts();

/** GET /api/alerts?status=open|cleared: newest first. */
export const listAlerts = httpHandler({ query: alertListQuery }, async ({ query }) =>
  ok({ items: await ports.store.list(query.status, query.limit) }),
);

/** POST /api/alerts/{alertId}/acknowledge: someone is on it (the alert stays open until its cause is gone). */
export const acknowledgeAlert = httpHandler({ params: alertParams }, async ({ params, principal }) => {
  const who = requirePrincipal(principal);
  const before = await ports.store.get(params.alertId);
  if (!before) throw new AlertNotFound(params.alertId);
  const after = await ports.store.acknowledge(params.alertId, who.username, ports.clock().toISOString());
  if (!after) throw new AlertNotOpen(params.alertId);
  return { status: 200, body: after, audit: { before, after } };
});

export const getAlertSettings = httpHandler({}, async () => ok(await ports.store.settings()));

/** PUT /api/alerts/settings: the thresholds, whole (the sweep applies them at its next run). */
export const putAlertSettings = httpHandler({ body: alertSettingsBody }, async ({ body }) => {
  const before = await ports.store.settings();
  await ports.store.putSettings(body);
  return { status: 200, body, audit: { before, after: body } };
});
