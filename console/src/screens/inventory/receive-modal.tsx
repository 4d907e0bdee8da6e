import Autosuggest from '@cloudscape-design/components/autosuggest';
import Checkbox from '@cloudscape-design/components/checkbox';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import Textarea from '@cloudscape-design/components/textarea';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { endpoints, type ReceiptBucket } from '../../api/endpoints.ts';
import type { AdjustmentResult, PositionView } from '../../api/types.ts';
import { BUCKET_LABELS } from '../../app/buckets.ts';
import { CODE_PATTERN, newIdempotencyKey } from '../../app/ids.ts';
import { useMySite } from '../../app/preferences.ts';
import { composeReason, RECEIPT_REASONS } from '../../app/reasons.ts';
import { useUser } from '../../app/session.tsx';
import { CommandModal } from '../../components/command-modal.tsx';
import { formatNumber } from '../../components/format.tsx';
import { ApiErrorAlert } from '../../components/states.tsx';

const RECEIPT_BUCKETS: ReceiptBucket[] = ['available', 'damaged', 'quarantined', 'returnedPending'];

/** Units arriving at a location (a delivery, a transfer, a customer return): one ledger movement. */
export function ReceiveStockModal(props: {
  sku: string;
  positions: PositionView[];
  onClose: () => void;
  onDone: (result: AdjustmentResult) => void;
}) {
  const user = useUser();
  const [mySite] = useMySite(user.username);
  const [locationId, setLocationId] = useState(() => mySite ?? props.positions[0]?.locationId ?? '');
  const [quantity, setQuantity] = useState('');
  const [bucket, setBucket] = useState<ReceiptBucket>('available');
  const [fromInTransit, setFromInTransit] = useState(false);
  const [reasonCode, setReasonCode] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [idempotencyKey] = useState(() => newIdempotencyKey('rcv'));

  const position = props.positions.find((p) => p.locationId === locationId);
  const qty = Number(quantity);
  const reason = RECEIPT_REASONS.find((r) => r.code === reasonCode);
  const errors = {
    location: CODE_PATTERN.test(locationId) ? undefined : 'Choose a location',
    quantity:
      !/^\d+$/.test(quantity) || qty <= 0
        ? 'A whole number of units, more than zero'
        : fromInTransit && qty > (position?.inTransit ?? 0)
          ? `Only ${formatNumber(position?.inTransit ?? 0)} in transit to this location`
          : undefined,
    reason: reason ? undefined : 'Choose a reason',
    note: reason?.needsNote && !note.trim() ? 'Explain the receipt' : undefined,
  };
  const show = (e: string | undefined) => (submitted ? e : undefined);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setSubmitted(true);
    if (Object.values(errors).some(Boolean) || !reason) return;
    setBusy(true);
    setError(null);
    try {
      props.onDone(
        await endpoints.receive({
          sku: props.sku,
          locationId,
          quantity: qty,
          ...(bucket !== 'available' ? { bucket } : {}),
          ...(fromInTransit ? { fromInTransit } : {}),
          reason: composeReason(reason.code, note),
          idempotencyKey,
        }),
      );
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err), undefined, '', ''));
      setBusy(false);
    }
  };

  return (
    <CommandModal
      header={`Receive ${props.sku}`}
      submitLabel="Receive units"
      busy={busy}
      onClose={props.onClose}
      onSubmit={submit}
    >
      <FormField label="Location" errorText={show(errors.location)}>
        <Autosuggest
          value={locationId}
          onChange={({ detail }) => setLocationId(detail.value.trim())}
          options={props.positions.map((p) => ({
            value: p.locationId,
            description: `${formatNumber(p.onHand)} on hand, ${formatNumber(p.inTransit)} in transit`,
          }))}
          enteredTextLabel={(v) => `Use "${v}"`}
          ariaLabel="Location"
          empty="No positions yet"
        />
      </FormField>
      <ColumnLayout columns={2}>
        <FormField label="Quantity" errorText={show(errors.quantity)}>
          <Input
            type="number"
            inputMode="numeric"
            value={quantity}
            onChange={({ detail }) => setQuantity(detail.value)}
            ariaLabel="Quantity"
          />
        </FormField>
        <FormField label="Into">
          <Select
            selectedOption={{ value: bucket, label: BUCKET_LABELS[bucket] }}
            onChange={({ detail }) => setBucket(detail.selectedOption.value as ReceiptBucket)}
            options={RECEIPT_BUCKETS.map((b) => ({ value: b, label: BUCKET_LABELS[b] }))}
            ariaLabel="Into bucket"
          />
        </FormField>
      </ColumnLayout>
      <Checkbox checked={fromInTransit} onChange={({ detail }) => setFromInTransit(detail.checked)}>
        These units were expected (take them off in transit)
      </Checkbox>
      <FormField label="Reason" errorText={show(errors.reason)}>
        <Select
          selectedOption={reason ? { value: reason.code, label: reason.label } : null}
          onChange={({ detail }) => setReasonCode(detail.selectedOption.value ?? null)}
          options={RECEIPT_REASONS.map((r) => ({ value: r.code, label: r.label, description: r.code }))}
          placeholder="Choose a reason code"
          ariaLabel="Reason"
        />
      </FormField>
      <FormField
        label="Note"
        constraintText={
          reason?.needsNote ? 'Required for this reason' : 'Optional, e.g. the PO or ASN number'
        }
        errorText={show(errors.note)}
      >
        <Textarea value={note} onChange={({ detail }) => setNote(detail.value)} rows={2} ariaLabel="Note" />
      </FormField>
      {error && <ApiErrorAlert error={error} what="receive the units" />}
    </CommandModal>
  );
}
