import { DomainError, type FieldIssue, NotFound } from '#shared/errors';

/**
 * Why a verified delivery could not become an order. These never reach a client as a 500:
 * the delivery is stored as an intake exception (raw body + reason) and answered with the
 * code its sender's retry semantics call for.
 */
export const INTAKE_FAILURE_CODES = [
  'MALFORMED_JSON',
  'INVALID_PAYLOAD',
  'INVALID_AMOUNT',
  /** A quantity beyond MAX_QUANTITY (#shared/bounds). */
  'QUANTITY_OUT_OF_RANGE',
  /** An amount beyond MAX_MONEY_MINOR, or a line whose unit price × quantity is. */
  'AMOUNT_OUT_OF_RANGE',
  /** A line discount larger than the line's price (unit price × quantity). */
  'DISCOUNT_EXCEEDS_PRICE',
  'UNKNOWN_SKU',
  'MISSING_LINES',
  'UNKNOWN_CHANNEL',
  'RAW_BODY_UNAVAILABLE',
  /** A channel return or refund of an order intake does not have. */
  'UNKNOWN_ORDER',
  /** A channel return or refund line that matches no line of its order. */
  'UNMAPPED_RETURN_LINE',
] as const;
export type IntakeFailureCode = (typeof INTAKE_FAILURE_CODES)[number];

export class IntakeFailure extends Error {
  constructor(
    readonly code: IntakeFailureCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'IntakeFailure';
  }
}

export class ChannelNotFound extends NotFound {
  constructor(channelId: string) {
    super('Channel', channelId);
  }
}

export class OrderNotFound extends NotFound {
  constructor(orderId: string) {
    super('Order', orderId);
  }
}

export class IntakeExceptionNotFound extends NotFound {
  constructor(exceptionId: string) {
    super('Intake exception', exceptionId);
  }
}

export class SecretRequired extends DomainError {
  constructor(type: string) {
    super(400, 'VALIDATION_FAILED', `A ${type} channel needs its webhook secret`, {
      issues: [{ field: 'secret', message: 'required when the channel is created' }],
    });
  }
}

/** Replay ran and the delivery still cannot be mapped; the exception stays open with the new reason. */
export class ReplayStillFailing extends DomainError {
  constructor(exceptionId: string, code: string, message: string, issues: FieldIssue[]) {
    super(422, code, message, { exceptionId, issues });
  }
}
