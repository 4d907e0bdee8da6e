import { eventHandler } from '#shared/event-handler';
import { dynamoJournal } from '../adapters/journal-store.ts';
import { toJournalEntry } from '../core/journal.ts';

const journal = dynamoJournal();

/** The journal entry is keyed by the event id, so a redelivery rewrites the same item. */
export const handler = eventHandler('journal', async (event) => journal.record(toJournalEntry(event)), {
  idempotent: false,
});
