import { eventHandler } from '#shared/event-handler';
import { dynamoJournal } from '../adapters/journal-store.ts';
import { toJournalEntry } from '../core/journal.ts';

const journal = dynamoJournal();

export const handler = eventHandler(async (event) => {
  await journal.record(toJournalEntry(event));
});
