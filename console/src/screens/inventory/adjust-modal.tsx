import Autosuggest from '@cloudscape-design/components/autosuggest';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import Select from '@cloudscape-design/components/select';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { AdjustBucket, AdjustmentResult, PositionView } from '../../api/types.ts';
import { ADJUST_BUCKETS, BUCKET_LABELS } from '../../app/buckets.ts';
import { CODE_PATTERN, newIdempotencyKey } from '../../app/ids.ts';
import { useMySite } from '../../app/preferences.ts';
import { ADJUSTMENT_REASONS, composeReason } from '../../app/reasons.ts';
import { useUser } from '../../app/session.tsx';
import { CommandModal, NoteField } from '../../components/command-modal.tsx';
import { formatNumber } from '../../components/format.tsx';
import { ApiErrorAlert } from '../../components/states.tsx';

/**
 * Adjusts on-hand units at one position: one ledger movement with a reason code. The
 * idempotency key is made when the dialog opens and kept across retries of the same
 * submission, so a double click or a retried request never moves stock twice.
 */
export function AdjustStockModal(props: {
  sku: string;
  positions: PositionView[];
  initialLocation?: string;
  onClose: () => void;
  onDone: (result: AdjustmentResult) => void;
}) {
  const user = useUser();
  const [mySite] = useMySite(user.username);
  const [locationId, setLocationId] = useState(
    () => props.initialLocation ?? mySite ?? props.positions[0]?.locationId ?? '',
  );
  const [direction, setDirection] = useState<'add' | 'remove'>('add');
  const [bucket, setBucket] = useState<AdjustBucket>('available');
  const [quantity, setQuantity] = useState('');
  const [reasonCode, setReasonCode] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [idempotencyKey] = useState(() => newIdempotencyKey('adj'));

  const position = props.positions.find((p) => p.locationId === locationId);
  const inBucket = position ? position[bucket] : 0;
  const qty = Number(quantity);
  const qtyValid = /^\d+$/.test(quantity) && qty > 0 && qty <= 1_000_000;
  const delta = direction === 'add' ? qty : -qty;
  const reason = ADJUSTMENT_REASONS.find((r) => r.code === reasonCode);
  const errors = {
    location: !locationId
      ? 'Choose a location'
      : !CODE_PATTERN.test(locationId)
        ? 'Letters, digits, ".", "_" or "-"'
        : undefined,
    quantity: !qtyValid
      ? 'A whole number of units, more than zero'
      : direction === 'remove' && qty > inBucket
        ? `Only ${formatNumber(inBucket)} ${BUCKET_LABELS[bucket].toLowerCase()} here`
        : undefined,
    reason: !reason ? 'Choose a reason' : undefined,
    note:
      reason?.needsNote && !note.trim()
        ? 'Explain the adjustment'
        : note.length > 150
          ? 'At most 150 characters'
          : undefined,
  };
  const valid = !Object.values(errors).some(Boolean);
  const show = (e: string | undefined) => (submitted ? e : undefined);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setSubmitted(true);
    if (!valid || !reason) return;
    setBusy(true);
    setError(null);
    try {
      const result = await endpoints.adjust({
        sku: props.sku,
        locationId,
        delta,
        ...(bucket !== 'available' ? { bucket } : {}),
        reason: composeReason(reason.code, note),
        idempotencyKey,
      });
      props.onDone(result);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err), undefined, '', ''));
      setBusy(false);
    }
  };

  return (
    <CommandModal
      header={`Adjust stock of ${props.sku}`}
      submitLabel="Adjust stock"
      busy={busy}
      onClose={props.onClose}
      onSubmit={submit}
      size="medium"
      submitTestId="adjust-submit"
      formTestId="adjust-form"
    >
      <FormField
        label="Location"
        errorText={show(errors.location)}
        description="A location of this SKU, or another stocking location to open a position there."
      >
        <Autosuggest
          value={locationId}
          onChange={({ detail }) => setLocationId(detail.value.trim())}
          options={props.positions.map((p) => ({
            value: p.locationId,
            description: `${formatNumber(p.onHand)} on hand, ${formatNumber(p.available)} available`,
          }))}
          enteredTextLabel={(v) => `Use "${v}"`}
          placeholder="e.g. DC-EAST"
          ariaLabel="Location"
          empty="No positions yet"
          data-testid="adjust-location"
        />
      </FormField>
      <ColumnLayout columns={2}>
        <FormField label="Change">
          <SegmentedControl
            selectedId={direction}
            onChange={({ detail }) => setDirection(detail.selectedId as 'add' | 'remove')}
            options={[
              { id: 'add', text: 'Add units', iconName: 'add-plus' },
              { id: 'remove', text: 'Remove units', iconName: 'subtract-minus' },
            ]}
            label="Direction"
          />
        </FormField>
        <FormField label="Quantity" errorText={show(errors.quantity)}>
          <Input
            type="number"
            inputMode="numeric"
            value={quantity}
            onChange={({ detail }) => setQuantity(detail.value)}
            ariaLabel="Quantity"
            data-testid="adjust-quantity"
          />
        </FormField>
      </ColumnLayout>
      <FormField
        label="Bucket"
        description="Where the units are counted: sellable stock, or set aside as damaged, quarantined, returned or in transit."
      >
        <Select
          selectedOption={{ value: bucket, label: BUCKET_LABELS[bucket] }}
          onChange={({ detail }) => setBucket(detail.selectedOption.value as AdjustBucket)}
          options={ADJUST_BUCKETS.map((b) => ({
            value: b,
            label: BUCKET_LABELS[b],
            description: position ? `${formatNumber(position[b])} now` : undefined,
          }))}
          ariaLabel="Bucket"
        />
      </FormField>
      <FormField label="Reason" errorText={show(errors.reason)}>
        <Select
          selectedOption={reason ? { value: reason.code, label: reason.label } : null}
          onChange={({ detail }) => setReasonCode(detail.selectedOption.value ?? null)}
          options={ADJUSTMENT_REASONS.map((r) => ({
            value: r.code,
            label: r.label,
            description: r.code,
          }))}
          placeholder="Choose a reason code"
          ariaLabel="Reason"
          data-testid="adjust-reason"
        />
      </FormField>
      <NoteField
        value={note}
        onChange={setNote}
        required={Boolean(reason?.needsNote)}
        errorText={show(errors.note)}
      />
      {qtyValid && locationId && (
        <KeyValuePairs
          columns={2}
          items={[
            {
              label: 'On hand',
              value: `${formatNumber(position?.onHand ?? 0)} → ${formatNumber((position?.onHand ?? 0) + (bucket === 'inTransit' ? 0 : delta))}`,
            },
            {
              label: 'Available',
              value: `${formatNumber(position?.available ?? 0)} → ${formatNumber((position?.available ?? 0) + (bucket === 'available' ? delta : 0))}`,
            },
          ]}
        />
      )}
      {error && <ApiErrorAlert error={error} what="adjust the stock" />}
    </CommandModal>
  );
}
