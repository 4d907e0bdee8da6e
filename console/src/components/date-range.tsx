import DateRangePicker, { type DateRangePickerProps } from '@cloudscape-design/components/date-range-picker';

/**
 * A time filter kept in the URL (deep links): `range=7d` for "the last 7 days", or
 * `from`/`to` ISO instants for an absolute range.
 */
export interface TimeRange {
  range?: string;
  from?: string;
  to?: string;
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000 };

const RELATIVE: DateRangePickerProps.RelativeOption[] = [
  { key: '1h', amount: 1, unit: 'hour', type: 'relative' },
  { key: '24h', amount: 24, unit: 'hour', type: 'relative' },
  { key: '7d', amount: 7, unit: 'day', type: 'relative' },
  { key: '30d', amount: 30, unit: 'day', type: 'relative' },
  { key: '90d', amount: 90, unit: 'day', type: 'relative' },
];

/** The instants a range stands for now, as the API's `from`/`to` query parameters. */
export function resolveRange(r: TimeRange): { from?: string; to?: string } {
  const m = r.range?.match(/^(\d+)([hd])$/);
  if (m) return { from: new Date(Date.now() - Number(m[1]) * UNIT_MS[m[2]!]!).toISOString() };
  return { ...(r.from ? { from: r.from } : {}), ...(r.to ? { to: r.to } : {}) };
}

function toValue(r: TimeRange): DateRangePickerProps.Value | null {
  const rel = RELATIVE.find((o) => o.key === r.range);
  if (rel) return rel;
  if (r.from && r.to) return { type: 'absolute', startDate: r.from, endDate: r.to };
  return null;
}

function fromValue(v: DateRangePickerProps.Value | null): TimeRange {
  if (!v) return {};
  if (v.type === 'relative') {
    const unit = v.unit === 'hour' ? 'h' : v.unit === 'day' ? 'd' : v.unit === 'week' ? 'd' : undefined;
    const amount = v.unit === 'week' ? v.amount * 7 : v.amount;
    return unit ? { range: `${amount}${unit}` } : {};
  }
  return { from: new Date(v.startDate).toISOString(), to: new Date(v.endDate).toISOString() };
}

export function DateRangeFilter(props: {
  value: TimeRange;
  onChange: (r: TimeRange) => void;
  placeholder?: string;
  maxDays?: number;
}) {
  return (
    <DateRangePicker
      value={toValue(props.value)}
      onChange={({ detail }) => props.onChange(fromValue(detail.value))}
      relativeOptions={RELATIVE.filter(
        (o) => !props.maxDays || o.unit === 'hour' || o.amount <= props.maxDays,
      )}
      isValidRange={(v) => {
        if (v?.type === 'absolute') {
          const [s, e] = [Date.parse(v.startDate), Date.parse(v.endDate)];
          if (Number.isNaN(s) || Number.isNaN(e))
            return { valid: false, errorMessage: 'Choose a start and an end' };
          if (s > e) return { valid: false, errorMessage: 'The start must be before the end' };
          if (props.maxDays && e - s > props.maxDays * 86_400_000)
            return { valid: false, errorMessage: `At most ${props.maxDays} days` };
        }
        return { valid: true };
      }}
      placeholder={props.placeholder ?? 'Any time'}
      rangeSelectorMode="default"
      expandToViewport
    />
  );
}
