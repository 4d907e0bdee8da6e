import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import type { ReturnStatus, ReturnView } from '../../api/types.ts';

export const RETURN_STATUS_LABELS: Record<ReturnStatus, string> = {
  requested: 'Requested',
  pending_approval: 'Needs a supervisor',
  approved: 'Approved, awaiting parcel',
  rejected: 'Rejected',
  received: 'Received, inspecting',
  inspected: 'Inspected, refunding',
  completed: 'Completed',
};

const STATUS_TYPES: Record<ReturnStatus, StatusIndicatorProps.Type> = {
  requested: 'pending',
  pending_approval: 'warning',
  approved: 'in-progress',
  rejected: 'stopped',
  received: 'in-progress',
  inspected: 'in-progress',
  completed: 'success',
};

export function ReturnStatusIndicator({ status }: { status: ReturnStatus }) {
  return <StatusIndicator type={STATUS_TYPES[status]}>{RETURN_STATUS_LABELS[status]}</StatusIndicator>;
}

type RefundStatus = ReturnView['refund']['status'];

const REFUND_LABELS: Record<RefundStatus, [StatusIndicatorProps.Type, string]> = {
  not_requested: ['pending', 'Not requested yet'],
  requested: ['in-progress', 'Requested from the channel'],
  issued: ['success', 'Issued'],
  failed: ['error', 'Failed'],
  not_required: ['stopped', 'None due'],
};

export function RefundStatusIndicator({ status }: { status: RefundStatus }) {
  const [type, label] = REFUND_LABELS[status];
  return <StatusIndicator type={type}>{label}</StatusIndicator>;
}
