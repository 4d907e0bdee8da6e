import { httpHandler, ok } from '#shared/http';
import { dynamoPlanningStore } from '../adapters/planning-store.ts';
import { eventsBody, settingsBody } from '../schemas/planning.ts';

const store = dynamoPlanningStore();

const putSettings = httpHandler({ body: settingsBody }, async ({ body }) => {
  await store.putSettings(body);
  return ok(body);
});

const putEvents = httpHandler({ body: eventsBody }, async ({ body }) => {
  await store.putMarkedEvents(body.events);
  return ok({ events: body.events });
});

/**
 * PUT /api/planning/settings (service level per ABC class, review days, default lead time) and
 * PUT /api/planning/events (promotions and known events, whole list: their days are left out
 * of forecasting and scoring). One function: both are small whole-document writes, audited
 * with their change.
 */
export const settingsWrites = {
  'PUT /api/planning/settings': putSettings,
  'PUT /api/planning/events': putEvents,
};
