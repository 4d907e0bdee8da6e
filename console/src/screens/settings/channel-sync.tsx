import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { type FormEvent, useState } from 'react';
import type { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { SyncStatus } from '../../api/types.ts';
import { can } from '../../app/access.ts';
import { CODE_PATTERN } from '../../app/ids.ts';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { formatDateTime } from '../../components/format.tsx';
import { ApiErrorAlert } from '../../components/states.tsx';

const RESYNC = 'POST /api/channels/{channelId}/resync';

/** A channel's stock sync: healthy or degraded, last push, pending pushes, recent failures, resync. */
export function ChannelSync() {
  const { notify } = useNotifications();
  const user = useUser();
  const [id, setId] = useState('');
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [resyncing, setResyncing] = useState(false);
  const valid = CODE_PATTERN.test(id);

  const load = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!valid) return;
    setLoading(true);
    setError(null);
    try {
      setStatus(await endpoints.getChannelSync(id));
    } catch (err) {
      setStatus(null);
      setError(err as ApiError);
    }
    setLoading(false);
  };

  const resync = async () => {
    setResyncing(true);
    setError(null);
    try {
      const out = await endpoints.resyncChannel(id);
      notify({
        type: 'success',
        header: `Resync of ${out.channelId} started: ${out.skus} SKU${out.skus === 1 ? '' : 's'} to push`,
      });
      await load();
    } catch (err) {
      setError(err as ApiError);
    }
    setResyncing(false);
  };

  return (
    <form onSubmit={load} data-testid="channel-sync">
      <Container
        header={
          <Header
            variant="h2"
            description="Whether the channel has our numbers: its state, the last push, pushes waiting, and what failed."
            actions={
              status &&
              can(user.roles, RESYNC) && (
                <Button formAction="none" onClick={() => void resync()} loading={resyncing}>
                  Resync all SKUs
                </Button>
              )
            }
          >
            Stock sync
          </Header>
        }
      >
        <SpaceBetween size="m">
          <FormField
            label="Channel id"
            errorText={id && !valid ? 'Letters, digits, ".", "_" or "-"' : undefined}
            secondaryControl={
              <Button formAction="submit" loading={loading} disabled={!valid}>
                Show
              </Button>
            }
          >
            <Input
              value={id}
              onChange={({ detail }) => {
                setId(detail.value.trim());
                setStatus(null);
              }}
              placeholder="shopify-us"
            />
          </FormField>
          {error && <ApiErrorAlert error={error} what="read the channel's sync" />}
          {status && (
            <>
              <KeyValuePairs
                columns={4}
                items={[
                  {
                    label: 'State',
                    value:
                      status.state === 'healthy' ? (
                        <StatusIndicator type="success">Healthy</StatusIndicator>
                      ) : (
                        <StatusIndicator type="error">
                          Degraded{status.degradedAt ? ` since ${formatDateTime(status.degradedAt)}` : ''}
                        </StatusIndicator>
                      ),
                  },
                  {
                    label: 'Last push',
                    value: status.lastPushAt ? formatDateTime(status.lastPushAt) : 'Never',
                  },
                  { label: 'Pending pushes', value: String(status.pending) },
                  { label: 'Failures in a row', value: String(status.consecutiveFailures) },
                ]}
              />
              <Table
                variant="embedded"
                header={<Header variant="h3">Recent failures</Header>}
                items={status.recentFailures}
                columnDefinitions={[
                  { id: 'at', header: 'When', cell: (f) => formatDateTime(f.at) },
                  { id: 'skus', header: 'SKUs', cell: (f) => f.skus.join(', ') },
                  { id: 'error', header: 'Error', cell: (f) => f.error },
                ]}
                empty={<Box color="text-status-inactive">No failures</Box>}
              />
            </>
          )}
        </SpaceBetween>
      </Container>
    </form>
  );
}
