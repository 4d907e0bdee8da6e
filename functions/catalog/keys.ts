/**
 * Catalog item keys — the only place they are composed.
 * - SKU:      pk SKU#<sku>          sk SKU      gsi1: CATALOG#SKU / <sku>  (list and prefix search)
 * - barcode:  pk BARCODE#<code>     sk BARCODE  (barcode → SKU lookup, unique per code)
 * - kit ref:  pk SKU#<component>    sk KITREF#<kit>  (which kits contain a SKU: one Query, for
 *             inventory's kit availability when a component's stock changes)
 */
export const catalogKeys = {
  sku: (sku: string) => ({ pk: `SKU#${sku}`, sk: 'SKU' }),
  skuIndex: (sku: string) => ({ gsi1pk: 'CATALOG#SKU', gsi1sk: sku }),
  barcode: (code: string) => ({ pk: `BARCODE#${code}`, sk: 'BARCODE' }),
  kitRef: (component: string, kit: string) => ({ pk: `SKU#${component}`, sk: `KITREF#${kit}` }),
  kitRefPrefix: 'KITREF#',
};
