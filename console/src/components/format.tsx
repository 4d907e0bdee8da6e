import Box from '@cloudscape-design/components/box';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const number = new Intl.NumberFormat();

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export const formatNumber = (n: number | undefined): string => (n === undefined ? '—' : number.format(n));

/** A signed quantity change: +5 in green, −3 in red. */
export function Delta({ value }: { value: number }) {
  return (
    <Box
      color={value > 0 ? 'text-status-success' : value < 0 ? 'text-status-error' : 'inherit'}
      fontWeight="bold"
    >
      {value > 0 ? `+${number.format(value)}` : value < 0 ? `−${number.format(-value)}` : '0'}
    </Box>
  );
}

/**
 * An amount in minor units (cents) shown in the currency's units: 1050 USD → "$10.50", 1050 JPY
 * → "¥1,050". Without a currency (routing rules price in the deployment's currency, unnamed)
 * it is read as two decimals, "10.50". The one money formatter of the console.
 */
export function formatMoney(minor: number | null | undefined, currency: string | null | undefined): string {
  if (minor === null || minor === undefined) return '—';
  const fmt = currency
    ? new Intl.NumberFormat(undefined, { style: 'currency', currency })
    : new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const digits = currency ? (fmt.resolvedOptions().maximumFractionDigits ?? 2) : 2;
  return fmt.format(minor / 10 ** digits);
}

/** Pretty JSON in a scrollable, monospace block (payloads, before/after). */
export function JsonBlock({ value, testId }: { value: unknown; testId?: string }) {
  const text = typeof value === 'string' ? tryPretty(value) : JSON.stringify(value, null, 2);
  return (
    <div className="qm-json" data-testid={testId}>
      <Box variant="pre" fontSize="body-s">
        {text ?? '—'}
      </Box>
    </div>
  );
}

function tryPretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
