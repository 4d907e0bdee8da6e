import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input, { type InputProps } from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { type FormEvent, useEffect, useRef, useState } from 'react';

const REASONS = [
  { value: 'bin_empty', label: 'Bin empty' },
  { value: 'fewer_than_expected', label: 'Fewer than expected' },
  { value: 'damaged', label: 'Damaged' },
];

/**
 * The short pick dialog (its own chunk: rare, so not on the handheld's first load). Keyboard
 * only works: the count field has the focus, arrows pick a reason, Enter confirms, Escape keeps
 * picking.
 */
export default function ShortPickDialog(props: {
  binCode: string;
  sku: string;
  left: number;
  busy: boolean;
  onConfirm: (quantityFound: number, reason: string) => void;
  onClose: () => void;
}) {
  const [found, setFound] = useState('0');
  const [reason, setReason] = useState(REASONS[0]!.value);
  const countRef = useRef<InputProps.Ref>(null);
  // The modal moves the focus into itself when it opens; the count field takes it after that.
  useEffect(() => {
    const timer = setTimeout(() => countRef.current?.focus(), 150);
    return () => clearTimeout(timer);
  }, []);
  const n = Number(found);
  const invalid = !/^\d+$/.test(found) || n > props.left;
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!invalid && !props.busy) props.onConfirm(n, reason);
  };
  return (
    <Modal
      visible
      onDismiss={props.onClose}
      closeAriaLabel="Close"
      header="Short pick"
      footer={
        <Box float="right">
          <div className="qm-big-buttons">
            <SpaceBetween direction="horizontal" size="s">
              <Button onClick={props.onClose}>Keep picking</Button>
              <Button
                variant="primary"
                loading={props.busy}
                disabled={invalid}
                onClick={() => submit()}
                data-testid="confirm-short"
              >
                Confirm short
              </Button>
            </SpaceBetween>
          </div>
        </Box>
      }
    >
      <form onSubmit={submit} data-testid="short-form">
        <SpaceBetween size="m">
          <Box>
            Bin {props.binCode} should still hold {props.left} × {props.sku}. Units you take now count as
            picked; the rest is reported short and the bin is flagged for a count.
          </Box>
          <FormField
            label="Units found and taken now"
            errorText={invalid ? `A whole number from 0 to ${props.left}` : undefined}
          >
            <div className="qm-scan-field">
              <Input
                ref={countRef}
                type="number"
                inputMode="numeric"
                value={found}
                onChange={({ detail }) => setFound(detail.value)}
                ariaLabel="Units found"
                data-testid="short-found"
              />
            </div>
          </FormField>
          <FormField label="Reason">
            <RadioGroup value={reason} onChange={({ detail }) => setReason(detail.value)} items={REASONS} />
          </FormField>
        </SpaceBetween>
      </form>
    </Modal>
  );
}
