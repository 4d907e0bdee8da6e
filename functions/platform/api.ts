/**
 * The platform context's front door (audit trail, event journal, health): the types the console
 * reads. The audit record itself is written by the kernel's HTTP wrapper.
 */
export type { AuditEntry } from '#shared/audit';
export type { JournalEntry } from './core/journal.ts';
