/**
 * Typed domain errors. Use cases throw these; the HTTP wrapper maps them to status codes and
 * the stable body `{ error: { code, message, details? } }`. Anything else is a 500 with a
 * generic message, so clients never see a stack or an SDK message.
 */
export class DomainError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = code;
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export interface FieldIssue {
  field: string;
  message: string;
}

export class ValidationFailed extends DomainError {
  constructor(message: string, issues: FieldIssue[]) {
    super(400, 'VALIDATION_FAILED', message, { issues });
  }
}

export class NotFound extends DomainError {
  constructor(what: string, id: string) {
    super(404, 'NOT_FOUND', `${what} ${id} was not found`, { what, id });
  }
}

export class Conflict extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

export class Unauthorized extends DomainError {
  constructor(message = 'A valid bearer token is required') {
    super(401, 'UNAUTHORIZED', message);
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'Your role does not allow this action') {
    super(403, 'FORBIDDEN', message);
  }
}

/**
 * The service cannot take the request right now (throttled, or the audit trail could not be
 * written) and nothing was changed by this attempt: answered 503 with `Retry-After`. Commands are
 * idempotent, so retrying the same request is safe.
 */
export class ServiceUnavailable extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds = 1, cause?: unknown) {
    super(503, 'SERVICE_UNAVAILABLE', message, { retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
    if (cause !== undefined) this.cause = cause;
  }
}

/** The command's audit record could not be written, so the command did not act (see shared/audit.ts). */
export class AuditNotRecorded extends ServiceUnavailable {
  constructor(why: string, cause?: unknown) {
    super(
      `The request could not be recorded in the audit trail, so nothing was changed (${why}); retry`,
      1,
      cause,
    );
  }
}

/** Error names AWS uses for throttling (DynamoDB, Step Functions, EventBridge) and lock conflicts. */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottledException',
  'TransactionConflictException',
  'TransactionInProgressException',
]);
const THROTTLING_TX_REASONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

/**
 * True when an AWS call failed because it was throttled or lost a conflict, even after the SDK's
 * and the adapter's retries: the request may be repeated as it is.
 */
export function isThrottling(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as {
    name?: string;
    $retryable?: { throttling?: boolean };
    CancellationReasons?: { Code?: string }[];
    failed?: readonly { errorCode?: string }[];
  };
  if (e.name && THROTTLING.has(e.name)) return true;
  if (e.$retryable?.throttling) return true;
  if (e.name === 'TransactionCanceledException') {
    const reasons = e.CancellationReasons ?? [];
    // Cancelled for a conflict or throttling only (no condition failed).
    return (
      reasons.some((r) => r.Code && THROTTLING_TX_REASONS.has(r.Code)) &&
      !reasons.some((r) => r.Code === 'ConditionalCheckFailed')
    );
  }
  // PutEvents answers throttled entries one by one (shared/events.ts PublishFailed).
  if (e.name === 'PublishFailed' && e.failed?.length) {
    return e.failed.every((f) => f.errorCode !== undefined && THROTTLING.has(f.errorCode));
  }
  return false;
}
