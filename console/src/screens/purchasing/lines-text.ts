/**
 * Lines typed (or pasted from a spreadsheet) one per row: `SKU quantity` or, with costs,
 * `SKU quantity unitCost`, separated by spaces, tabs, commas or semicolons. Returns the lines or
 * the first problem, naming its row.
 */
export function parseLines<C extends boolean>(
  text: string,
  withCost: C,
):
  | { lines: { sku: string; quantity: number; unitCost: C extends true ? string : undefined }[] }
  | { error: string } {
  const rows = text
    .split('\n')
    .map((r) => r.trim())
    .filter(Boolean);
  if (rows.length === 0) return { error: 'Enter at least one line' };
  const lines: { sku: string; quantity: number; unitCost: string | undefined }[] = [];
  for (const [i, row] of rows.entries()) {
    const [sku = '', qty = '', cost, ...rest] = row.split(/[\s,;]+/);
    const where = `Row ${i + 1}`;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(sku)) return { error: `${where}: "${sku}" is not a SKU code` };
    if (!/^\d+$/.test(qty) || Number(qty) < 1)
      return { error: `${where}: the quantity must be a whole number above 0` };
    if (withCost && !(cost && /^\d{1,12}(\.\d{1,6})?$/.test(cost)))
      return { error: `${where}: the unit cost must be a decimal amount, e.g. 12.50` };
    if (rest.length > 0 || (!withCost && cost !== undefined)) return { error: `${where}: too many values` };
    if (lines.some((l) => l.sku === sku)) return { error: `${where}: ${sku} is listed twice` };
    lines.push({ sku, quantity: Number(qty), unitCost: withCost ? cost : undefined });
  }
  return { lines } as {
    lines: { sku: string; quantity: number; unitCost: C extends true ? string : undefined }[];
  };
}
