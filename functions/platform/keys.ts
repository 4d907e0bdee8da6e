/**
 * Platform item keys.
 * - journal entry: pk EVENT#<eventId>  sk EVENT
 *   gsi1: JOURNAL#<detailType> / <occurredAt>#<eventId>   (events of one type, in time order)
 *   gsi2: SUBJECT#<subject>    / <occurredAt>#<eventId>   (timeline of an order, a SKU, ...)
 */
export const platformKeys = {
  journalEntry: (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: 'EVENT' }),
  journalByType: (detailType: string) => `JOURNAL#${detailType}`,
  journalBySubject: (subject: string) => `SUBJECT#${subject}`,
  journalSort: (occurredAt: string, eventId: string) => `${occurredAt}#${eventId}`,
};
