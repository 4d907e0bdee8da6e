import { Conflict, NotFound } from '#shared/errors';

/** Fulfillment's refusals. Codes are the public interface: exactly as the issue names them. */

export class FulfillmentNotFound extends NotFound {
  constructor(id: string) {
    super('Fulfillment', id);
  }
}

export class WaveNotFound extends NotFound {
  constructor(id: string) {
    super('Wave', id);
  }
}

export class PickTaskNotFound extends NotFound {
  constructor(id: string) {
    super('Pick task', id);
  }
}

/** A unit scanned before the bin: the associate must prove they stand at the right bin first. */
export class ScanBinFirst extends Conflict {
  constructor(taskId: string, binCode: string) {
    super('SCAN_BIN_FIRST', `Scan bin ${binCode} before picking units of task ${taskId}`, {
      taskId,
      binCode,
    });
  }
}

export class WrongBin extends Conflict {
  constructor(taskId: string, scanned: string, binCode: string) {
    super('WRONG_BIN', `${scanned} is another bin; task ${taskId} picks from ${binCode}`, {
      taskId,
      scanned,
      binCode,
    });
  }
}

export class WrongItem extends Conflict {
  constructor(taskId: string, scanned: string, sku: string) {
    super('WRONG_ITEM', `${scanned} is not a unit of ${sku}`, { taskId, scanned, sku });
  }
}

export class OverPick extends Conflict {
  constructor(taskId: string, quantity: number, remaining: number) {
    super('OVER_PICK', `Task ${taskId} has ${remaining} unit(s) left to pick, ${quantity} scanned`, {
      taskId,
      quantity,
      remaining,
    });
  }
}

/** The task is not the caller's (never claimed by them, or handed to someone else after a timeout). */
export class TaskNotClaimed extends Conflict {
  constructor(taskId: string, claimedBy?: string) {
    super(
      'TASK_NOT_CLAIMED',
      claimedBy
        ? `Task ${taskId} is claimed by ${claimedBy}; ask for your next task`
        : `Task ${taskId} is not claimed; ask for your next task`,
      { taskId, ...(claimedBy ? { claimedBy } : {}) },
    );
  }
}

export class TaskClosed extends Conflict {
  constructor(taskId: string, status: string) {
    super('TASK_CLOSED', `Task ${taskId} is ${status}`, { taskId, status });
  }
}

/** The units scanned were for fulfillments cancelled meanwhile: put them back, nothing was recorded. */
export class UnitsForCancelled extends Conflict {
  constructor(taskId: string, fulfillmentIds: readonly string[], remaining: number) {
    super(
      'FULFILLMENT_CANCELLED',
      `Task ${taskId}: ${fulfillmentIds.join(', ')} cancelled; ${remaining} unit(s) are still to pick, leave the rest in the bin`,
      { taskId, fulfillmentIds: [...fulfillmentIds], remaining },
    );
  }
}

/** Someone else changed the same items meanwhile and retries did not get through: repeat the request. */
export class FulfillmentContention extends Conflict {
  constructor(what: string) {
    super('CONCURRENT_CHANGE', `${what} changed meanwhile; repeat the request`, { what });
  }
}
