import { Conflict, ValidationFailed } from '#shared/errors';

export class BarcodeInUse extends Conflict {
  constructor(barcode: string, ownerSku: string) {
    super('BARCODE_IN_USE', `Barcode ${barcode} already belongs to ${ownerSku}`, { barcode, ownerSku });
  }
}

export class InvalidKit extends ValidationFailed {
  constructor(message: string) {
    super(message, [{ field: 'kit.components', message }]);
  }
}
