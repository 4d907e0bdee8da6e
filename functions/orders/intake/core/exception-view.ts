import type { BodyStorage, IntakeException } from './intake-records.ts';

/**
 * The most raw body one answer carries. Lambda answers at most 6 MB and JSON escaping can grow a
 * body by a fifth or more; a body beyond this is answered cut (`rawBodyCut`), while replay still
 * reads all of it from where it is kept.
 */
export const MAX_BODY_IN_RESPONSE_BYTES = 4 * 1024 * 1024;

/** One exception as ops see it: its reason in one line, its size, and as much of the body as fits. */
export function exceptionView(
  e: IntakeException & { bodyStorage: BodyStorage; rawBodyBytes?: number; rawBodyTruncated?: boolean },
) {
  const { rawBodyBytes, ...rest } = e;
  const bytes = Buffer.byteLength(e.rawBody, 'utf8');
  const cut = bytes > MAX_BODY_IN_RESPONSE_BYTES;
  return {
    ...rest,
    reason: `${e.code}: ${e.message}`,
    bodyBytes: rawBodyBytes ?? bytes,
    rawBody: cut
      ? Buffer.from(e.rawBody, 'utf8').subarray(0, MAX_BODY_IN_RESPONSE_BYTES).toString('utf8')
      : e.rawBody,
    ...(cut ? { rawBodyCut: true } : {}),
  };
}

/** `GET /api/intake/exceptions/{id}`'s answer. */
export type IntakeExceptionView = ReturnType<typeof exceptionView>;
