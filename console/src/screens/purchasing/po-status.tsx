import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import type { PoStatus } from '../../api/types.ts';

export const PO_STATUS_LABELS: Record<PoStatus, string> = {
  open: 'Open',
  partially_received: 'Partially received',
  received: 'Received',
  cancelled: 'Cancelled',
};

const TYPES: Record<PoStatus, StatusIndicatorProps.Type> = {
  open: 'pending',
  partially_received: 'in-progress',
  received: 'success',
  cancelled: 'stopped',
};

export function PoStatusIndicator({ status }: { status: PoStatus }) {
  return <StatusIndicator type={TYPES[status]}>{PO_STATUS_LABELS[status]}</StatusIndicator>;
}
