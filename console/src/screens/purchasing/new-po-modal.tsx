import ColumnLayout from '@cloudscape-design/components/column-layout';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import Textarea from '@cloudscape-design/components/textarea';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { PurchaseOrderView } from '../../api/types.ts';
import { CODE_PATTERN, newIdempotencyKey } from '../../app/ids.ts';
import { useMySite } from '../../app/preferences.ts';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { CommandModal } from '../../components/command-modal.tsx';
import { ApiErrorAlert } from '../../components/states.tsx';
import { parseLines } from './lines-text.ts';

/**
 * Places a purchase order: supplier, receiving location, expected day and lines (`SKU quantity
 * unitCost`, pasted from a spreadsheet or typed). The PO id is its idempotency key: submitting
 * again after a lost answer places it once.
 */
export function NewPurchaseOrderModal(props: {
  onClose: () => void;
  onDone: (po: PurchaseOrderView) => void;
}) {
  const user = useUser();
  const [mySite] = useMySite(user.username);
  const suppliers = useResource('suppliers', (signal) =>
    endpoints.listSuppliers(signal).then((p) => p.items),
  );
  const [poId, setPoId] = useState(() => newIdempotencyKey('PO').slice(0, 20));
  const [supplierId, setSupplierId] = useState<string | null>(null);
  const [locationId, setLocationId] = useState(mySite ?? '');
  const [expectedAt, setExpectedAt] = useState('');
  const [text, setText] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const parsed = parseLines(text, true);
  const supplier = suppliers.data?.find((s) => s.supplierId === supplierId);
  const errors = {
    poId: CODE_PATTERN.test(poId) ? undefined : 'Letters, digits, ".", "_" or "-"',
    supplier: supplierId ? undefined : 'Choose a supplier',
    location: CODE_PATTERN.test(locationId) ? undefined : 'The location that receives the goods',
    expectedAt: /^\d{4}-\d{2}-\d{2}$/.test(expectedAt) ? undefined : 'A day as YYYY-MM-DD',
    lines: 'error' in parsed ? parsed.error : undefined,
  };
  const show = (e: string | undefined) => (submitted ? e : undefined);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setSubmitted(true);
    if (Object.values(errors).some(Boolean) || 'error' in parsed || !supplierId) return;
    setBusy(true);
    setError(null);
    try {
      props.onDone(
        await endpoints.createPurchaseOrder({
          poId,
          supplierId,
          locationId,
          expectedAt,
          lines: parsed.lines,
        }),
      );
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err), undefined, '', ''));
      setBusy(false);
    }
  };

  return (
    <CommandModal
      header="New purchase order"
      submitLabel="Place order"
      busy={busy}
      onClose={props.onClose}
      onSubmit={submit}
      size="large"
      submitTestId="place-po"
      formTestId="po-form"
    >
      <ColumnLayout columns={2}>
        <FormField label="PO number" errorText={show(errors.poId)}>
          <Input value={poId} onChange={({ detail }) => setPoId(detail.value.trim())} ariaLabel="PO number" />
        </FormField>
        <FormField
          label="Supplier"
          errorText={show(errors.supplier)}
          constraintText={
            supplier ? `Lead time ${supplier.leadTimeDays} days, costs in ${supplier.currency}` : undefined
          }
        >
          <Select
            selectedOption={supplier ? { value: supplier.supplierId, label: supplier.name } : null}
            onChange={({ detail }) => setSupplierId(detail.selectedOption.value ?? null)}
            options={(suppliers.data ?? []).map((s) => ({
              value: s.supplierId,
              label: s.name,
              description: s.supplierId,
            }))}
            statusType={suppliers.loading ? 'loading' : suppliers.error ? 'error' : 'finished'}
            placeholder="Choose a supplier"
            ariaLabel="Supplier"
            data-testid="po-supplier"
            empty="No suppliers yet"
          />
        </FormField>
        <FormField label="Deliver to location" errorText={show(errors.location)}>
          <Input
            value={locationId}
            onChange={({ detail }) => setLocationId(detail.value.trim())}
            ariaLabel="Location"
          />
        </FormField>
        <FormField label="Expected" errorText={show(errors.expectedAt)}>
          <Input
            value={expectedAt}
            onChange={({ detail }) => setExpectedAt(detail.value.trim())}
            placeholder="YYYY-MM-DD"
            ariaLabel="Expected day"
          />
        </FormField>
      </ColumnLayout>
      <FormField
        label="Lines"
        constraintText="One per row: SKU quantity unitCost (e.g. MUG-01 120 3.40)"
        errorText={show(errors.lines)}
      >
        <Textarea value={text} onChange={({ detail }) => setText(detail.value)} rows={6} ariaLabel="Lines" />
      </FormField>
      {error && <ApiErrorAlert error={error} what="place the purchase order" />}
    </CommandModal>
  );
}
