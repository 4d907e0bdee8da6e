import { createHash } from 'node:crypto';
import type { HttpResult } from '#shared/http';
import type { IntakeResult } from '../core/receive-delivery.ts';

/**
 * What each sender is answered, by its retry semantics (docs/decisions-intake.md):
 * - `acknowledge` (Shopify, WooCommerce): 200 for every verified delivery, including those
 *   stored as intake exceptions. Shopify retries non-2xx for up to 48 h and then drops the
 *   subscription; WooCommerce disables a webhook after 5 consecutive failures. Neither would
 *   get a different answer by retrying, and the exception is already kept for replay.
 * - `strict` (custom storefronts, our own contract): 201 created, 200 for everything else
 *   that was taken or already seen; a stored exception is a 4xx the storefront should not
 *   retry — 400 for a malformed body, 422 for one that parses but cannot be mapped — with the
 *   exception id in `error.details`.
 */
export type ResponsePolicy = 'acknowledge' | 'strict';

const MALFORMED = new Set([
  'MALFORMED_JSON',
  'INVALID_PAYLOAD',
  'INVALID_AMOUNT',
  'QUANTITY_OUT_OF_RANGE',
  'AMOUNT_OUT_OF_RANGE',
]);

export function intakeResponse(policy: ResponsePolicy, result: IntakeResult): HttpResult {
  const { outcome, duplicate } = result;
  if (outcome.kind === 'exception') {
    const details = { exceptionId: outcome.exceptionId, duplicate, issues: outcome.issues };
    if (policy === 'acknowledge') {
      return { status: 200, body: { status: 'exception', code: outcome.code, ...details } };
    }
    return {
      status: MALFORMED.has(outcome.code) ? 400 : 422,
      body: { error: { code: outcome.code, message: outcome.message, details } },
    };
  }
  const body = {
    status: outcome.kind,
    ...('orderId' in outcome && outcome.orderId ? { orderId: outcome.orderId } : {}),
    ...(outcome.kind === 'ignored' ? { reason: outcome.reason } : {}),
    duplicate,
  };
  const status = policy === 'strict' && outcome.kind === 'created' && !duplicate ? 201 : 200;
  return { status, body };
}

/** When a sender sends no delivery id, the body's hash stands in for it (same body, same delivery). */
export const bodyDeliveryId = (rawBody: Buffer) =>
  `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
