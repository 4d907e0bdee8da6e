import { dynamoAuditLog } from './audit-store.ts';
import { dynamoJournal } from './journal-store.ts';

/** The platform's ports, wired to DynamoDB; each handler calls this once at module scope. */
export function platformPorts() {
  return { audit: dynamoAuditLog(), journal: dynamoJournal() };
}
