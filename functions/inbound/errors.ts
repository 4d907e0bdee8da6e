import { Conflict, DomainError, NotFound } from '#shared/errors';

/** Inbound's refusals. Codes are the public interface. */

export class SupplierNotFound extends NotFound {
  constructor(id: string) {
    super('Supplier', id);
  }
}

export class PurchaseOrderNotFound extends NotFound {
  constructor(id: string) {
    super('Purchase order', id);
  }
}

export class AsnNotFound extends NotFound {
  constructor(id: string) {
    super('ASN', id);
  }
}

/** A reference in the body names nothing known: the request is well formed but cannot be placed. */
export class UnknownReference extends DomainError {
  constructor(
    code: 'UNKNOWN_SUPPLIER' | 'UNKNOWN_LOCATION' | 'UNKNOWN_SKU' | 'SKU_IS_KIT' | 'UNKNOWN_PO',
    message: string,
    details: unknown,
  ) {
    super(422, code, message, details);
  }
}

/** The id was used before for a different document: ids are the idempotency keys. */
export class IdReused extends Conflict {
  constructor(kind: 'PO' | 'ASN', id: string) {
    super(
      kind === 'PO' ? 'PO_CONFLICT' : 'ASN_CONFLICT',
      `${kind} ${id} exists with different contents; use a new id for a different ${kind}`,
      { id },
    );
  }
}

export class PoNotReceivable extends Conflict {
  constructor(poId: string, status: string) {
    super('PO_NOT_RECEIVABLE', `PO ${poId} is ${status} and expects no more goods`, { poId, status });
  }
}

export class PoNotCancellable extends Conflict {
  constructor(poId: string, status: string) {
    super('PO_NOT_CANCELLABLE', `PO ${poId} is ${status}`, { poId, status });
  }
}

/** What an ASN announces does not fit its PO (SKUs not ordered, more units than still expected). */
export class AsnDoesNotFit extends Conflict {
  constructor(asnId: string, issues: AsnIssue[]) {
    super('ASN_DOES_NOT_FIT_PO', `ASN ${asnId}: ${issues.map((i) => i.message).join('; ')}`, {
      asnId,
      issues,
    });
  }
}

export interface AsnIssue {
  code: 'NOT_ON_PO' | 'EXCEEDS_PO';
  sku: string;
  message: string;
  quantity: number;
  /** Units the PO line still expects from ASNs (quantity − advised). */
  remaining?: number;
}

import type { CsvRowIssue } from '#shared/csv';

export type { CsvRowIssue };

/** 400: the CSV has bad rows; nothing was written. */
export class CsvRejected extends DomainError {
  constructor(issues: CsvRowIssue[]) {
    const rows = [...new Set(issues.map((i) => i.row))];
    super(400, 'CSV_REJECTED', `${rows.length} row(s) are invalid; nothing was written`, { issues });
  }
}

/** The scanned code is no SKU of the ASN: recorded as a wrong-SKU exception, nothing received. */
export class NotOnAsn extends Conflict {
  constructor(asnId: string, code: string, sku: string) {
    super('NOT_ON_ASN', `${code} is not on ASN ${asnId}; recorded as a wrong-SKU exception`, {
      asnId,
      code,
      sku,
    });
  }
}

export class OverReceipt extends Conflict {
  constructor(details: { asnId: string; sku: string; expected: number; received: number; max: number }) {
    super(
      'OVER_RECEIPT',
      `${details.sku}: ${details.received} of ${details.expected} received, at most ${details.max} may be; nothing received`,
      details,
    );
  }
}

export class ReceiptClosed extends Conflict {
  constructor(asnId: string) {
    super('RECEIPT_CLOSED', `The receipt of ASN ${asnId} is closed`, { asnId });
  }
}

/** The scanId was used before for another scan of this receipt. */
export class ScanIdReused extends Conflict {
  constructor(asnId: string, scanId: string) {
    super('SCAN_CONFLICT', `Scan ${scanId} of ASN ${asnId} was recorded with other contents`, {
      asnId,
      scanId,
    });
  }
}

export class PutawayTaskNotFound extends NotFound {
  constructor(id: string) {
    super('Putaway task', id);
  }
}

/** The scanned bin is no storage bin of the task's location (unknown, RECEIVING or STAGING). */
export class NotAStorageBin extends Conflict {
  constructor(details: { taskId: string; binCode: string; locationId: string; binId?: string }) {
    super(
      details.binId ? 'NOT_A_STORAGE_BIN' : 'UNKNOWN_BIN',
      details.binId
        ? `${details.binId} is not a storage bin; put the units away into a pick or bulk bin`
        : `No bin of ${details.locationId} has the code ${details.binCode}`,
      details,
    );
  }
}

/** The units would take the bin beyond its capacity: nothing moved. */
export class BinFull extends Conflict {
  constructor(details: { taskId: string; binId: string; capacity: number; holds: number; quantity: number }) {
    super(
      'BIN_FULL',
      `Bin ${details.binId} holds ${details.holds} of ${details.capacity} units; ${details.quantity} more do not fit`,
      details,
    );
  }
}

/** Other confirms kept the bin's lease through every attempt: nothing moved, try again. */
export class BinBusy extends Conflict {
  constructor(details: { taskId: string; binId: string }) {
    super(
      'BIN_BUSY',
      `Bin ${details.binId} is being filled by another putaway right now; nothing moved, confirm again in a moment`,
      details,
    );
  }
}

export class TransferNotFound extends NotFound {
  constructor(id: string) {
    super('Transfer', id);
  }
}

/** The transfer is not in a state the command applies to (receive before ship, another count). */
export class TransferConflict extends Conflict {
  constructor(
    code: 'TRANSFER_CONFLICT' | 'TRANSFER_NOT_SHIPPED' | 'TRANSFER_ALREADY_RECEIVED' | 'NOT_ON_TRANSFER',
    message: string,
    details: unknown,
  ) {
    super(code, message, details);
  }
}

/** The source cannot give what the transfer ships: nothing was shipped. */
export class TransferShort extends Conflict {
  constructor(transferId: string, code: string, message: string, details: unknown) {
    super(code, `Transfer ${transferId} cannot ship: ${message}`, { transferId, details });
  }
}
