import { createHash } from 'node:crypto';

/** A stable hash of a document's defining fields (callers sort lists first). */
export const fingerprintOf = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** Inbound's events carry ids derived from what they announce (a PO, an ASN). */
export { derivedEvent as inboundEvent } from '#shared/events';
