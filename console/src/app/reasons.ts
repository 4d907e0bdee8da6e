/**
 * Reason codes for stock changes. The API stores a free-text reason; the console sends
 * `<code>` or `<code>: <note>` so the ledger can be filtered and read consistently.
 */
export interface ReasonCode {
  code: string;
  label: string;
  /** A note is required (the code alone does not explain the change). */
  needsNote?: boolean;
}

export const ADJUSTMENT_REASONS: readonly ReasonCode[] = [
  { code: 'cycle-count', label: 'Cycle count correction' },
  { code: 'found', label: 'Found stock' },
  { code: 'receiving-correction', label: 'Receiving correction' },
  { code: 'damaged-write-off', label: 'Damaged, written off' },
  { code: 'lost', label: 'Lost or stolen' },
  { code: 'opening-balance', label: 'Opening balance' },
  { code: 'other', label: 'Other', needsNote: true },
];

export const MOVE_REASONS: readonly ReasonCode[] = [
  { code: 'damage-found', label: 'Damage found' },
  { code: 'quality-hold', label: 'Quality hold' },
  { code: 'quality-release', label: 'Released after inspection' },
  { code: 'return-inspected', label: 'Return inspected' },
  { code: 'safety-stock', label: 'Safety stock change' },
  { code: 'other', label: 'Other', needsNote: true },
];

export const RECEIPT_REASONS: readonly ReasonCode[] = [
  { code: 'po-receipt', label: 'Purchase order received' },
  { code: 'transfer-in', label: 'Transfer received' },
  { code: 'customer-return', label: 'Customer return' },
  { code: 'other', label: 'Other', needsNote: true },
];

export const REPAIR_REASONS: readonly ReasonCode[] = [
  { code: 'ledger-repair', label: 'Ledger repaired after a check', needsNote: true },
];

const ALL = [...ADJUSTMENT_REASONS, ...MOVE_REASONS, ...RECEIPT_REASONS, ...REPAIR_REASONS];

export function composeReason(code: string, note: string): string {
  const n = note.trim();
  return n ? `${code}: ${n}` : code;
}

/** `cycle-count: shelf B3 recounted` → "Cycle count correction — shelf B3 recounted". */
export function describeReason(reason: string): string {
  const m = reason.match(/^([a-z-]+)(?::\s*(.*))?$/s);
  const known = m ? ALL.find((r) => r.code === m[1]) : undefined;
  if (!known || !m) return reason;
  return m[2] ? `${known.label} — ${m[2]}` : known.label;
}
