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
