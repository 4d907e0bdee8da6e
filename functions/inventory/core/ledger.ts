import { inventoryKeys } from '../keys.ts';
import {
  BIN_FIELDS,
  type Buckets,
  type LastOp,
  type Movement,
  type OpKind,
  type PositionKey,
} from '../schemas/stock.ts';
import { bucketsOf, deltasBetween, primaryBucket } from './stock-position.ts';

/** Why a change happened when its write did not say (reservation steps keep the hot item small). */
export const DEFAULT_REASON: Record<OpKind, string> = {
  adjust: 'adjustment',
  receive: 'receipt',
  move: 'status move',
  reserve: 'reservation',
  release: 'reservation released',
  consume: 'shipped',
  expire: 'hold expired',
  rebalance: 'shard rebalance',
  repair: 'repair',
  'bin-move': 'bin move',
  'short-pick': 'short_pick',
};

/**
 * The ledger movement of one committed position write, from the item before and after it and
 * the `lastOp` the write left. The id is derived from the item and its new version, so whoever
 * computes it (the command answering its caller, or the stream consumer writing the ledger, on
 * any retry) gets the same movement, and a rewrite changes nothing.
 */
export function movementOf(input: {
  key: PositionKey;
  version: number;
  before: Partial<Buckets>;
  after: Partial<Buckets>;
  op: LastOp | undefined;
  /** When the write carried no `lastOp` (written outside this context): the item's updatedAt. */
  fallbackAt?: string;
}): Movement {
  const deltas = deltasBetween(input.before, input.after);
  const { bucket, delta } = primaryBucket(deltas);
  const op = input.op;
  const movementId = inventoryKeys.movementId({ ...input.key, version: input.version });
  return {
    movementId,
    sku: input.key.sku,
    locationId: input.key.locationId,
    shard: input.key.shard,
    version: input.version,
    kind: op?.kind ?? 'unattributed',
    bucket,
    delta,
    deltas,
    before: bucketsOf(input.before),
    after: bucketsOf(input.after),
    reason: op ? (op.reason ?? DEFAULT_REASON[op.kind]) : 'unattributed write',
    actor: op?.actor ?? 'unknown',
    correlationId: op?.correlationId ?? 'unknown',
    idempotencyKey:
      op?.idempotencyKey ?? (op?.reservationId ? `res:${op.reservationId}:${op.kind}` : movementId),
    ...(op?.reservationId ? { reservationId: op.reservationId } : {}),
    occurredAt: op?.at ?? input.fallbackAt ?? new Date(0).toISOString(),
    ...binFieldsOf(op),
  };
}

/** The bin fields a write left in its `lastOp`, copied onto its movement. */
function binFieldsOf(op: LastOp | undefined): Partial<Pick<Movement, (typeof BIN_FIELDS)[number]>> {
  if (!op) return {};
  return Object.fromEntries(BIN_FIELDS.filter((f) => op[f] !== undefined).map((f) => [f, op[f]]));
}

/** Sums movements bucket by bucket: what the ledger says a position holds. */
export function ledgerTotals(movements: readonly Pick<Movement, 'deltas'>[]): Buckets {
  const total = bucketsOf({});
  for (const m of movements) {
    for (const [b, v] of Object.entries(m.deltas)) total[b as keyof Buckets] += v ?? 0;
  }
  const { available: _a, ...buckets } = total;
  return buckets;
}
