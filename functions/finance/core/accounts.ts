/**
 * The chart of accounts: a small, fixed set of roles the posting rules use, each mapped to the
 * code (and name) of the business's own ledger. Postings carry the code in force when they were
 * made; changing the chart changes later postings only.
 */
export const ACCOUNT_ROLES = [
  'inventory',
  'grni',
  'cogs',
  'revenue',
  'shipping_income',
  'returns_refunds',
  'write_offs',
  'landed_cost_clearing',
  'inventory_variance',
  'receivable',
] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export interface Account {
  role: AccountRole;
  code: string;
  name: string;
}
export type Chart = Record<AccountRole, Account>;

const DEFAULTS: Record<AccountRole, [code: string, name: string]> = {
  receivable: ['1200', 'Channel receivables'],
  inventory: ['1300', 'Inventory'],
  grni: ['2100', 'Goods received not invoiced'],
  landed_cost_clearing: ['2150', 'Landed-cost clearing'],
  revenue: ['4000', 'Sales revenue'],
  shipping_income: ['4100', 'Shipping income'],
  returns_refunds: ['4200', 'Returns and refunds'],
  cogs: ['5000', 'Cost of goods sold'],
  write_offs: ['5100', 'Write-offs and shrinkage'],
  inventory_variance: ['5200', 'Inventory variance'],
};

export const DEFAULT_CHART: Chart = Object.fromEntries(
  ACCOUNT_ROLES.map((role) => [role, { role, code: DEFAULTS[role][0], name: DEFAULTS[role][1] }]),
) as Chart;

/** The stored chart over the defaults, with `changes` applied; codes must stay unique. */
export function mergeChart(
  stored: Partial<Chart> | undefined,
  changes: readonly { role: AccountRole; code: string; name?: string | undefined }[],
): { chart: Chart } | { duplicate: string } {
  const chart = { ...DEFAULT_CHART, ...(stored ?? {}) } as Chart;
  for (const c of changes) chart[c.role] = { role: c.role, code: c.code, name: c.name ?? chart[c.role].name };
  const seen = new Map<string, AccountRole>();
  for (const role of ACCOUNT_ROLES) {
    const code = chart[role].code;
    if (seen.has(code)) return { duplicate: code };
    seen.set(code, role);
  }
  return { chart };
}
