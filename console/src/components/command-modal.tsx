import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Modal, { type ModalProps } from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import type { FormEvent, ReactNode } from 'react';

/**
 * The frame every stock command dialog shares: Cancel and a primary action in the footer, a
 * real <form> so Enter (or a scanner's Enter) submits, and the fields stacked inside.
 */
export function CommandModal(props: {
  header: string;
  submitLabel: string;
  busy: boolean;
  onClose: () => void;
  onSubmit: (e?: FormEvent) => Promise<void>;
  size?: ModalProps.Size;
  submitTestId?: string;
  formTestId?: string;
  children: ReactNode;
}) {
  return (
    <Modal
      visible
      onDismiss={props.onClose}
      header={props.header}
      {...(props.size ? { size: props.size } : {})}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={props.onClose}>
              Cancel
            </Button>
            <Button
              variant="primary"
              loading={props.busy}
              onClick={() => void props.onSubmit()}
              {...(props.submitTestId ? { 'data-testid': props.submitTestId } : {})}
            >
              {props.submitLabel}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <form onSubmit={props.onSubmit} {...(props.formTestId ? { 'data-testid': props.formTestId } : {})}>
        <Form>
          <SpaceBetween size="m">{props.children}</SpaceBetween>
        </Form>
      </form>
    </Modal>
  );
}

/** The free-text note beside a reason code; some reason codes require it. */
export function NoteField(props: {
  value: string;
  onChange: (value: string) => void;
  required: boolean;
  errorText?: string;
}) {
  return (
    <FormField
      label="Note"
      constraintText={props.required ? 'Required for this reason' : 'Optional'}
      errorText={props.errorText}
    >
      <Textarea
        value={props.value}
        onChange={({ detail }) => props.onChange(detail.value)}
        rows={2}
        ariaLabel="Note"
      />
    </FormField>
  );
}
