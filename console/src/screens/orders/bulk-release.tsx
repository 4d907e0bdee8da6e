import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { endpoints } from '../../api/endpoints.ts';
import type { OrderSummary } from '../../api/types.ts';
import { CommandModal } from '../../components/command-modal.tsx';

export const RELEASE_HOLD = 'POST /api/orders/{id}/holds/{holdId}/release';

type Result =
  | { state: 'pending' }
  | { state: 'released'; holds: number }
  | { state: 'failed'; message: string };

/**
 * Releases every open hold of several orders with one reason: one release call per hold, one
 * order after another (so the progress is real and a failure names its order), and a result
 * per order. An order whose holds are already gone is reported, not treated as a failure.
 */
export function BulkReleaseModal(props: { orders: OrderSummary[]; onClose: (changed: boolean) => void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<Record<string, Result>>({});
  const done = Object.values(results).filter((r) => r.state !== 'pending').length;
  const started = Object.keys(results).length > 0;
  const finished = started && done === props.orders.length;
  const [error, setError] = useState<string>();

  const run = async () => {
    if (finished) return props.onClose(true);
    if (!reason.trim()) return setError('Say why these holds are released; it is recorded on each order.');
    setError(undefined);
    setBusy(true);
    setResults(Object.fromEntries(props.orders.map((o) => [o.orderId, { state: 'pending' } as Result])));
    for (const o of props.orders) {
      let outcome: Result;
      try {
        const order = await endpoints.getOrder(o.orderId);
        const open = Object.values(order.holds ?? {}).filter((h) => h.status === 'open');
        for (const h of open) await endpoints.releaseHold(o.orderId, h.holdId, reason.trim());
        outcome = { state: 'released', holds: open.length };
      } catch (e) {
        outcome = { state: 'failed', message: (e as Error).message };
      }
      setResults((r) => ({ ...r, [o.orderId]: outcome }));
    }
    setBusy(false);
  };

  return (
    <CommandModal
      header={`Release holds on ${props.orders.length} order${props.orders.length === 1 ? '' : 's'}`}
      submitLabel={finished ? 'Done' : 'Release holds'}
      submitTestId="bulk-release-submit"
      busy={busy}
      onClose={() => props.onClose(started)}
      onSubmit={async (e) => {
        e?.preventDefault();
        await run();
      }}
    >
      <FormField
        label="Reason"
        description="Recorded on every hold released, with your name"
        errorText={error}
      >
        <Input
          value={reason}
          disabled={started}
          onChange={({ detail }) => setReason(detail.value)}
          placeholder="e.g. Payment captured by phone"
          ariaLabel="Reason"
        />
      </FormField>
      {started && (
        <ProgressBar
          data-testid="bulk-release-progress"
          value={(done / props.orders.length) * 100}
          label="Releasing"
          additionalInfo={`${done} of ${props.orders.length} orders`}
        />
      )}
      <Table<OrderSummary>
        data-testid="bulk-release-results"
        variant="embedded"
        items={props.orders}
        trackBy="orderId"
        columnDefinitions={[
          { id: 'order', header: 'Order', cell: (o) => o.externalNumber ?? o.externalId },
          { id: 'holds', header: 'Open holds', cell: (o) => o.openHolds },
          {
            id: 'result',
            header: 'Result',
            cell: (o) => {
              const r = results[o.orderId];
              if (!r) return '—';
              if (r.state === 'pending') return <StatusIndicator type="pending">Waiting</StatusIndicator>;
              if (r.state === 'failed') return <StatusIndicator type="error">{r.message}</StatusIndicator>;
              return (
                <StatusIndicator type="success">
                  {r.holds === 0
                    ? 'No open hold left'
                    : `Released ${r.holds} hold${r.holds === 1 ? '' : 's'}`}
                </StatusIndicator>
              );
            },
          },
        ]}
      />
    </CommandModal>
  );
}
