import { setTimeout as sleep } from 'node:timers/promises';
import { ChannelCallFailed } from '../core/ports.ts';

export interface RetryPolicy {
  /** Tries per call, the first included. */
  attempts: number;
  /** 5xx and network errors wait base × 2^n (with jitter) between tries. */
  backoffMs: number;
  /** A `Retry-After` longer than this is not waited for here: the call fails, the push stays pending. */
  maxRetryAfterMs: number;
  /** One try's limit (slow replies). */
  timeoutMs: number;
  /** The whole call's limit, kept below the push lease so two pushes of a SKU never overlap. */
  deadlineMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  backoffMs: 250,
  maxRetryAfterMs: 10_000,
  timeoutMs: 10_000,
  deadlineMs: 25_000,
};

/** `Retry-After` in seconds or as an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Sends a request until it gets an answer worth reading: 429 waits `Retry-After` (any API),
 * 5xx and network errors or timeouts back off; other 4xx fail at once (retrying will not help).
 * Throws ChannelCallFailed with the last status when the tries or the deadline run out.
 */
export async function fetchWithRetry(
  send: (signal: AbortSignal) => Promise<Response>,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<Response> {
  const deadline = Date.now() + policy.deadlineMs;
  let last = 'no attempt';
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    let wait: number;
    try {
      const left = deadline - Date.now();
      const res = await send(AbortSignal.timeout(Math.max(1, Math.min(policy.timeoutMs, left))));
      if (res.ok) return res;
      const body = (await res.text()).slice(0, 200);
      last = `HTTP ${res.status}${body ? `: ${body}` : ''}`;
      if (res.status === 429) {
        wait = retryAfterMs(res.headers.get('retry-after')) ?? policy.backoffMs * 2 ** attempt;
        if (wait > policy.maxRetryAfterMs) break;
      } else if (res.status >= 500) {
        wait = policy.backoffMs * 2 ** attempt * (0.5 + Math.random() / 2);
      } else {
        throw new ChannelCallFailed(last, true);
      }
    } catch (error) {
      if (error instanceof ChannelCallFailed) throw error;
      last = (error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message;
      wait = policy.backoffMs * 2 ** attempt * (0.5 + Math.random() / 2);
    }
    if (attempt === policy.attempts - 1 || Date.now() + wait >= deadline) break;
    await sleep(wait);
  }
  throw new ChannelCallFailed(last);
}
