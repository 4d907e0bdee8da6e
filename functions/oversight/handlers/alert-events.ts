import {
  ChannelSyncDegraded,
  ChannelSyncRecovered,
  ThreePLInventoryMismatchDetected,
  ThreePLReconciliationApproved,
} from '#connectors/api';
import { CutoffAtRisk, ShipmentConfirmed } from '#fulfillment/api';
import { CountSubmitted, CountVariancePosted } from '#inbound/api';
import { OrderCancelled, OrderReleased } from '#orders/api';
import { StockoutRiskChanged } from '#planning/api';
import type { BusEvent } from '#shared/events';
import { alertPorts } from '../adapters/wiring.ts';
import { type AlertSignal, applySignals, countVarianceCause } from '../core/alerts.ts';

const ports = alertPorts();

/** What an event means for alerts: the causes it starts and ends. */
function signalsOf(event: BusEvent): AlertSignal[] {
  const data = event.detail.data;
  const occurredAt = event.detail.metadata.occurredAt;
  const type = event['detail-type'];
  if (type === ChannelSyncDegraded.detailType) {
    const d = ChannelSyncDegraded.data.parse(data);
    return [
      {
        action: 'raise',
        at: d.at,
        cause: {
          type: 'channel_sync',
          subject: d.channelId,
          locationId: null,
          message: `Stock pushes to channel ${d.channelId} keep failing since ${d.failingSince} (${d.consecutiveFailures} in a row): ${d.lastError}`,
          link: '/settings/channels',
        },
      },
    ];
  }
  if (type === ChannelSyncRecovered.detailType) {
    const d = ChannelSyncRecovered.data.parse(data);
    return [{ action: 'clear', type: 'channel_sync', subject: d.channelId, at: d.at }];
  }
  if (type === CutoffAtRisk.detailType) {
    const d = CutoffAtRisk.data.parse(data);
    return [
      {
        action: 'raise',
        at: d.at,
        cause: {
          type: 'cutoff_risk',
          subject: d.fulfillmentId,
          locationId: d.locationId,
          message: `Order ${d.orderId} may miss its ${d.cutoffAt} cutoff at ${d.locationId}: ${Math.round(d.minutesLeft)} min left, ${Math.round(d.minutesNeeded)} needed`,
          link: '/warehouse',
          detail: { cutoffAt: d.cutoffAt, orderId: d.orderId },
        },
      },
    ];
  }
  if (type === ShipmentConfirmed.detailType) {
    const d = ShipmentConfirmed.data.parse(data);
    return [{ action: 'clear', type: 'cutoff_risk', subject: d.fulfillmentId, at: d.shippedAt }];
  }
  if (type === CountSubmitted.detailType) {
    const d = CountSubmitted.data.parse(data);
    return d.lines
      .filter((l) => !l.withinTolerance)
      .map((l) => ({
        action: 'raise' as const,
        at: d.submittedAt,
        cause: countVarianceCause({ ...l, taskId: d.taskId, locationId: d.locationId, binId: d.binId }),
      }));
  }
  if (type === CountVariancePosted.detailType) {
    const d = CountVariancePosted.data.parse(data);
    return [{ action: 'clear', type: 'count_variance', subject: `${d.taskId}/${d.sku}`, at: d.postedAt }];
  }
  if (type === StockoutRiskChanged.detailType) {
    const d = StockoutRiskChanged.data.parse(data);
    const subject = `${d.locationId}/${d.sku}`;
    if (!d.atRisk) return [{ action: 'clear', type: 'stockout_risk', subject, at: occurredAt }];
    return [
      {
        action: 'raise',
        at: occurredAt,
        cause: {
          type: 'stockout_risk',
          subject,
          locationId: d.locationId,
          message: `${d.sku} at ${d.locationId} is predicted to run out ${d.stockoutDate ? `on ${d.stockoutDate}` : 'soon'}, within its ${d.leadTimeDays}-day lead time`,
          link: `/inventory/${encodeURIComponent(d.sku)}`,
        },
      },
    ];
  }
  // A 3PL's snapshot disagreed with ours (connectors' reconciliation; inventory's own event of that
  // name, about broken invariants, has another source): open until the reconciliation is approved.
  if (
    type === ThreePLInventoryMismatchDetected.detailType &&
    event.source === ThreePLInventoryMismatchDetected.source
  ) {
    const d = ThreePLInventoryMismatchDetected.data.parse(data);
    return [
      {
        action: 'raise',
        at: occurredAt,
        cause: {
          type: 'inventory_mismatch',
          subject: `${d.locationId}/${d.sku}`,
          locationId: d.locationId,
          message: `The 3PL at ${d.locationId} reports ${d.reported} of ${d.sku}, we record ${d.ours.onHand} (reconciliation ${d.reconciliationId})`,
          link: `/inventory/locations/${encodeURIComponent(d.locationId)}`,
        },
      },
    ];
  }
  if (type === ThreePLReconciliationApproved.detailType) {
    const d = ThreePLReconciliationApproved.data.parse(data);
    return d.skus.map((sku) => ({
      action: 'clear' as const,
      type: 'inventory_mismatch' as const,
      subject: `${d.locationId}/${sku}`,
      at: d.approvedAt,
    }));
  }
  // A backorder released or cancelled: its aging alert closes now, not at the next sweep.
  if (type === OrderReleased.detailType) {
    const d = OrderReleased.data.parse(data);
    return [{ action: 'clear', type: 'backorder_aging', subject: d.orderId, at: d.releasedAt }];
  }
  if (type === OrderCancelled.detailType) {
    const d = OrderCancelled.data.parse(data);
    return [{ action: 'clear', type: 'backorder_aging', subject: d.orderId, at: d.cancelledAt }];
  }
  return [];
}

/**
 * Event-driven alerts: raised and cleared by the events that start and end their causes. Each
 * transition is conditional on the alert's state and its cause's time, so a redelivery changes
 * nothing without a per-event record (most of these events — every shipment, every release —
 * mean no transition at all, and would pay two writes each for it).
 */
export async function watchAlerts(event: BusEvent): Promise<void> {
  await applySignals(ports, signalsOf(event), event.detail.metadata.correlationId);
}
