import { Conflict, DomainError, NotFound } from '#shared/errors';

/** Cycle counts' refusals. Codes are the public interface. */

export class CountTaskNotFound extends NotFound {
  constructor(id: string) {
    super('Count task', id);
  }
}

export class CountVarianceNotFound extends NotFound {
  constructor(id: string) {
    super('Count variance', id);
  }
}

export class UnknownCountReference extends DomainError {
  constructor(code: 'UNKNOWN_LOCATION' | 'UNKNOWN_BIN' | 'UNKNOWN_SKU', message: string, details: unknown) {
    super(422, code, message, details);
  }
}

/** The task was submitted before with other counts: a count is final once submitted. */
export class CountAlreadySubmitted extends Conflict {
  constructor(taskId: string) {
    super('COUNT_ALREADY_SUBMITTED', `Count task ${taskId} was submitted with other counts`, { taskId });
  }
}

/** The variance was decided the other way already (approved or posted vs rejected). */
export class VarianceDecided extends Conflict {
  constructor(varianceId: string, status: string) {
    super('VARIANCE_DECIDED', `Variance ${varianceId} is ${status}`, { varianceId, status });
  }
}

/** The bin holds more SKUs than one count can take in one transaction. */
export class BinTooBigToCount extends Conflict {
  constructor(details: { taskId: string; skus: number; max: number }) {
    super(
      'BIN_TOO_BIG_TO_COUNT',
      `The count of task ${details.taskId} has ${details.skus} SKUs; at most ${details.max} can be counted in one bin`,
      details,
    );
  }
}
