/**
 * Transient DynamoDB failures and the retry loop around them. DynamoDB Local never produces
 * conflicts or throttling; test/support/faults.ts injects them so this path is exercised.
 *
 * A retried write may have committed already ("the reply was lost"): every write this context
 * makes is idempotent by construction (reservation id on the item, idempotency key on the item,
 * reservation status in the record, deterministic movement ids), so retrying is safe and the
 * retry recognises its own earlier success as a duplicate.
 */
const TRANSIENT_NAMES = new Set([
  'TransactionConflictException',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'NetworkingError',
  'AbortError',
]);
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);
const TRANSIENT_TX_REASONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

export function isTransient(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as {
    name?: string;
    code?: string;
    $retryable?: unknown;
    CancellationReasons?: { Code?: string }[];
  };
  if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.code && TRANSIENT_CODES.has(e.code)) return true;
  if (e.name === 'TransactionCanceledException') {
    const reasons = e.CancellationReasons ?? [];
    // Cancelled only because of a conflict or throttling (no condition failed): try again.
    return (
      reasons.some((r) => r.Code && TRANSIENT_TX_REASONS.has(r.Code)) &&
      !reasons.some((r) => r.Code === 'ConditionalCheckFailed')
    );
  }
  return Boolean(e.$retryable);
}

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  /** Told about each failed attempt that may have committed before failing. */
  onUncertain?: () => void;
}

/** Errors after which the write may still have been applied (vs. refused before it ran). */
export function mayHaveCommitted(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return !(
    name === 'TransactionConflictException' ||
    name === 'ProvisionedThroughputExceededException' ||
    name === 'ThrottlingException' ||
    name === 'RequestLimitExceeded' ||
    name === 'TransactionCanceledException'
  );
}

/** Runs `op` until it succeeds or fails for a non-transient reason, with jittered exponential back-off. */
export async function withRetry<T>(op: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 10;
  const base = opts.baseMs ?? 10;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (error) {
      if (!isTransient(error) || attempt >= attempts) throw error;
      if (mayHaveCommitted(error)) opts.onUncertain?.();
      const cap = Math.min(1000, base * 2 ** attempt);
      await new Promise((r) => setTimeout(r, Math.random() * cap));
    }
  }
}
