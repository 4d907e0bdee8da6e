import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import type { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import { ApiErrorAlert } from '../../components/states.tsx';

const MAX_SHARDS = 32;

/**
 * Splits each position of a hot SKU into N items so a flash sale is not capped by one item's
 * write rate; totals and availability stay the same.
 */
export function ShardingModal(props: {
  sku: string;
  current: number;
  onClose: () => void;
  onDone: (shards: number) => void;
}) {
  const [value, setValue] = useState(String(props.current));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const n = Number(value);
  const valid = /^\d+$/.test(value) && n >= 1 && n <= MAX_SHARDS;
  const submit = async () => {
    if (!valid) return;
    setBusy(true);
    setError(null);
    try {
      const result = await endpoints.setSharding(props.sku, n);
      props.onDone(result.shards);
    } catch (e) {
      setError(e as ApiError);
      setBusy(false);
    }
  };
  return (
    <Modal
      visible
      onDismiss={props.onClose}
      header={`Sharding of ${props.sku}`}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={props.onClose}>
              Cancel
            </Button>
            <Button
              variant="primary"
              loading={busy}
              disabled={!valid || n === props.current}
              onClick={() => void submit()}
            >
              Apply
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box>
          Each position of this SKU is stored as this many items, so reservations during a flash sale spread
          over them. Totals and availability do not change. Now: {props.current}.
        </Box>
        <FormField
          label="Shards per position"
          constraintText={`1 to ${MAX_SHARDS}`}
          errorText={valid ? undefined : `A whole number from 1 to ${MAX_SHARDS}`}
        >
          <Input
            type="number"
            value={value}
            onChange={({ detail }) => setValue(detail.value)}
            ariaLabel="Shards per position"
          />
        </FormField>
        {error && <ApiErrorAlert error={error} what="change the sharding" />}
      </SpaceBetween>
    </Modal>
  );
}
