/** A fresh idempotency key per intended command; a retry of the same submission reuses it. */
export function newIdempotencyKey(prefix = 'console'): string {
  const id =
    typeof crypto.randomUUID === 'function'
      ? crypto.randomUUID()
      : `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
  return `${prefix}-${id}`;
}

/** What the API accepts as a SKU, location or channel id. */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
