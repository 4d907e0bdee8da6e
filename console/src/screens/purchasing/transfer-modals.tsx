import ColumnLayout from '@cloudscape-design/components/column-layout';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Textarea from '@cloudscape-design/components/textarea';
import { type FormEvent, useState } from 'react';
import type { TransferView } from '../../../../functions/inbound/api.ts';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import { CODE_PATTERN, newIdempotencyKey } from '../../app/ids.ts';
import { CommandModal } from '../../components/command-modal.tsx';
import { ApiErrorAlert } from '../../components/states.tsx';
import { parseLines } from './lines-text.ts';

const asApiError = (err: unknown) =>
  err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err), undefined, '', '');

/** A new transfer: from, to, the lines, optionally the expected day. Its id is the idempotency key. */
export function NewTransferModal(props: { onClose: () => void; onDone: (t: TransferView) => void }) {
  const [transferId, setTransferId] = useState(() => newIdempotencyKey('TR').slice(0, 20));
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [expectedAt, setExpectedAt] = useState('');
  const [text, setText] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const parsed = parseLines(text, false);
  const errors = {
    transferId: CODE_PATTERN.test(transferId) ? undefined : 'Letters, digits, ".", "_" or "-"',
    from: CODE_PATTERN.test(from) ? undefined : 'The location the units leave',
    to: !CODE_PATTERN.test(to)
      ? 'The location they go to'
      : to === from
        ? 'Must differ from the source'
        : undefined,
    expectedAt: !expectedAt || /^\d{4}-\d{2}-\d{2}$/.test(expectedAt) ? undefined : 'A day as YYYY-MM-DD',
    lines: 'error' in parsed ? parsed.error : undefined,
  };
  const show = (e: string | undefined) => (submitted ? e : undefined);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setSubmitted(true);
    if (Object.values(errors).some(Boolean) || 'error' in parsed) return;
    setBusy(true);
    setError(null);
    try {
      props.onDone(
        await endpoints.createTransfer({
          transferId,
          fromLocationId: from,
          toLocationId: to,
          lines: parsed.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
          ...(expectedAt ? { expectedAt } : {}),
        }),
      );
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  return (
    <CommandModal
      header="New transfer"
      submitLabel="Create transfer"
      busy={busy}
      onClose={props.onClose}
      onSubmit={submit}
      submitTestId="create-transfer"
      formTestId="transfer-form"
    >
      <FormField label="Transfer id" errorText={show(errors.transferId)}>
        <Input
          value={transferId}
          onChange={({ detail }) => setTransferId(detail.value.trim())}
          ariaLabel="Transfer id"
        />
      </FormField>
      <ColumnLayout columns={3}>
        <FormField label="From location" errorText={show(errors.from)}>
          <Input
            value={from}
            onChange={({ detail }) => setFrom(detail.value.trim())}
            ariaLabel="From location"
          />
        </FormField>
        <FormField label="To location" errorText={show(errors.to)}>
          <Input value={to} onChange={({ detail }) => setTo(detail.value.trim())} ariaLabel="To location" />
        </FormField>
        <FormField
          label="Expected"
          constraintText="Optional; shipping may set it"
          errorText={show(errors.expectedAt)}
        >
          <Input
            value={expectedAt}
            onChange={({ detail }) => setExpectedAt(detail.value.trim())}
            placeholder="YYYY-MM-DD"
            ariaLabel="Expected day"
          />
        </FormField>
      </ColumnLayout>
      <FormField label="Lines" constraintText="One per row: SKU quantity" errorText={show(errors.lines)}>
        <Textarea value={text} onChange={({ detail }) => setText(detail.value)} rows={5} ariaLabel="Lines" />
      </FormField>
      {error && <ApiErrorAlert error={error} what="create the transfer" />}
    </CommandModal>
  );
}

/** What arrived of a transfer in transit, per SKU (prefilled with what was shipped). */
export function ReceiveTransferModal(props: {
  transfer: TransferView;
  onClose: () => void;
  onDone: (t: TransferView) => void;
}) {
  const { transfer } = props;
  const [counts, setCounts] = useState<Record<string, string>>(() =>
    Object.fromEntries(transfer.lines.map((l) => [l.sku, String(l.quantity)])),
  );
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const bad = (sku: string) => !/^\d+$/.test(counts[sku] ?? '');
  const show = (sku: string) => (submitted && bad(sku) ? 'A whole number, 0 or more' : undefined);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setSubmitted(true);
    if (transfer.lines.some((l) => bad(l.sku))) return;
    setBusy(true);
    setError(null);
    try {
      props.onDone(
        await endpoints.receiveTransfer(
          transfer.transferId,
          transfer.lines.map((l) => ({ sku: l.sku, quantity: Number(counts[l.sku]) })),
        ),
      );
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  return (
    <CommandModal
      header={`Receive transfer ${transfer.transferId}`}
      submitLabel="Receive"
      busy={busy}
      onClose={props.onClose}
      onSubmit={submit}
      submitTestId="confirm-receive-transfer"
    >
      <p>
        From {transfer.fromLocationId} into {transfer.toLocationId}'s receiving bin. Count what arrived; a
        difference from what was shipped is recorded as a variance.
      </p>
      <ColumnLayout columns={2}>
        {transfer.lines.map((l) => (
          <FormField key={l.sku} label={l.sku} description={`${l.quantity} shipped`} errorText={show(l.sku)}>
            <Input
              type="number"
              inputMode="numeric"
              value={counts[l.sku] ?? ''}
              onChange={({ detail }) => setCounts((c) => ({ ...c, [l.sku]: detail.value }))}
              ariaLabel={`${l.sku} received`}
            />
          </FormField>
        ))}
      </ColumnLayout>
      {error && <ApiErrorAlert error={error} what="receive the transfer" />}
    </CommandModal>
  );
}
