import ColumnLayout from '@cloudscape-design/components/column-layout';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { AdjustmentResult, PositionView } from '../../api/types.ts';
import { BUCKET_LABELS, MOVABLE_BUCKETS, type MovableBucket } from '../../app/buckets.ts';
import { newIdempotencyKey } from '../../app/ids.ts';
import { useMySite } from '../../app/preferences.ts';
import { composeReason, MOVE_REASONS } from '../../app/reasons.ts';
import { useUser } from '../../app/session.tsx';
import { CommandModal, NoteField } from '../../components/command-modal.tsx';
import { formatNumber } from '../../components/format.tsx';
import { ApiErrorAlert } from '../../components/states.tsx';

const bucketOption = (b: MovableBucket) => ({ value: b, label: BUCKET_LABELS[b] });

/**
 * Moves units between the buckets of one position (e.g. available → damaged when damage is
 * found, quarantined → available after inspection). On-hand does not change; available does.
 */
export function MoveBucketsModal(props: {
  sku: string;
  positions: PositionView[];
  onClose: () => void;
  onDone: (result: AdjustmentResult) => void;
}) {
  const user = useUser();
  const [mySite] = useMySite(user.username);
  // My site when this SKU is stocked there; otherwise the person chooses: a preselected location
  // nobody looked at is how a move lands at the wrong site.
  const [locationId, setLocationId] = useState(
    () => props.positions.find((p) => p.locationId === mySite)?.locationId ?? '',
  );
  const [from, setFrom] = useState<MovableBucket>('available');
  const [to, setTo] = useState<MovableBucket>('damaged');
  const [quantity, setQuantity] = useState('');
  const [reasonCode, setReasonCode] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [idempotencyKey] = useState(() => newIdempotencyKey('move'));

  const position = props.positions.find((p) => p.locationId === locationId);
  const inFrom = position ? position[from] : 0;
  const qty = Number(quantity);
  const reason = MOVE_REASONS.find((r) => r.code === reasonCode);
  const errors = {
    location: position ? undefined : 'Choose a location',
    buckets: from === to ? 'Choose two different buckets' : undefined,
    quantity:
      !/^\d+$/.test(quantity) || qty <= 0
        ? 'A whole number of units, more than zero'
        : qty > inFrom
          ? `Only ${formatNumber(inFrom)} in ${BUCKET_LABELS[from].toLowerCase()}`
          : undefined,
    reason: reason ? undefined : 'Choose a reason',
    note: reason?.needsNote && !note.trim() ? 'Explain the move' : undefined,
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
        await endpoints.moveBuckets({
          sku: props.sku,
          locationId,
          from,
          to,
          quantity: qty,
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
      header={`Move ${props.sku} between buckets`}
      submitLabel="Move units"
      busy={busy}
      onClose={props.onClose}
      onSubmit={submit}
      submitTestId="move-submit"
      formTestId="move-form"
    >
      <FormField label="Location" errorText={show(errors.location)}>
        <Select
          selectedOption={position ? { value: position.locationId, label: position.locationId } : null}
          onChange={({ detail }) => setLocationId(detail.selectedOption.value ?? '')}
          placeholder="Choose the location"
          options={props.positions.map((p) => ({
            value: p.locationId,
            label: p.locationId,
            ...(p.locationId === mySite ? { tags: ['My site'] } : {}),
            description: `${formatNumber(p.onHand)} on hand, ${formatNumber(p.available)} available`,
          }))}
          empty="This SKU has no positions yet"
          ariaLabel="Location"
        />
      </FormField>
      <ColumnLayout columns={2}>
        <FormField label="From" errorText={show(errors.buckets)}>
          <Select
            selectedOption={bucketOption(from)}
            onChange={({ detail }) => setFrom(detail.selectedOption.value as MovableBucket)}
            options={MOVABLE_BUCKETS.map((b) => ({
              ...bucketOption(b),
              description: position ? `${formatNumber(position[b])} units` : undefined,
            }))}
            ariaLabel="From bucket"
          />
        </FormField>
        <FormField label="To">
          <Select
            selectedOption={bucketOption(to)}
            onChange={({ detail }) => setTo(detail.selectedOption.value as MovableBucket)}
            options={MOVABLE_BUCKETS.map(bucketOption)}
            ariaLabel="To bucket"
          />
        </FormField>
      </ColumnLayout>
      <FormField label="Quantity" errorText={show(errors.quantity)}>
        <Input
          type="number"
          inputMode="numeric"
          value={quantity}
          onChange={({ detail }) => setQuantity(detail.value)}
          ariaLabel="Quantity"
        />
      </FormField>
      <FormField label="Reason" errorText={show(errors.reason)}>
        <Select
          selectedOption={reason ? { value: reason.code, label: reason.label } : null}
          onChange={({ detail }) => setReasonCode(detail.selectedOption.value ?? null)}
          options={MOVE_REASONS.map((r) => ({ value: r.code, label: r.label, description: r.code }))}
          placeholder="Choose a reason code"
          ariaLabel="Reason"
        />
      </FormField>
      <NoteField
        value={note}
        onChange={setNote}
        required={Boolean(reason?.needsNote)}
        errorText={show(errors.note)}
      />
      {error && <ApiErrorAlert error={error} what="move the units" />}
    </CommandModal>
  );
}
