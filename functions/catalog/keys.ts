/**
 * Catalog item keys — the only place they are composed.
 * - SKU:      pk SKU#<sku>          sk SKU      gsi1: CATALOG#SKU / <sku>  (list and prefix search)
 * - barcode:  pk BARCODE#<code>     sk BARCODE  (barcode → SKU lookup, unique per code)
 */
export const catalogKeys = {
  sku: (sku: string) => ({ pk: `SKU#${sku}`, sk: 'SKU' }),
  skuIndex: (sku: string) => ({ gsi1pk: 'CATALOG#SKU', gsi1sk: sku }),
  barcode: (code: string) => ({ pk: `BARCODE#${code}`, sk: 'BARCODE' }),
};
