import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';

const TYPES: Record<string, StatusIndicatorProps.Type> = {
  received: 'pending',
  'on-hold': 'warning',
  on_hold: 'warning',
  held: 'warning',
  backordered: 'warning',
  allocated: 'in-progress',
  released: 'in-progress',
  picking: 'in-progress',
  packed: 'in-progress',
  partially_shipped: 'in-progress',
  shipped: 'success',
  delivered: 'success',
  cancelled: 'stopped',
  failed: 'error',
};

export function OrderStatus({ status }: { status: string }) {
  return <StatusIndicator type={TYPES[status] ?? 'info'}>{status.replace(/[-_]/g, ' ')}</StatusIndicator>;
}
