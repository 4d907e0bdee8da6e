import { eventHandler } from '#shared/event-handler';
import { platformPorts } from '../adapters/wiring.ts';
import { toJournalEntry } from '../core/journal.ts';

const { journal } = platformPorts();

/** The journal entry is keyed by the event id, so a redelivery rewrites the same item. */
export const handler = eventHandler('journal', async (event) => journal.record(toJournalEntry(event)), {
  idempotent: false,
});
