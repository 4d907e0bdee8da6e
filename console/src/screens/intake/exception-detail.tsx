import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { IntakeExceptionView } from '../../api/types.ts';
import { can } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { formatDateTime, JsonBlock } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, EmptyState, UndeclaredNotice } from '../../components/states.tsx';

const REPLAY = 'POST /api/intake/exceptions/{id}/replay';

/** One exception with its raw body, loaded when the detail opens (the list carries no bodies). */
async function loadException(id: string, signal: AbortSignal): Promise<IntakeExceptionView | undefined> {
  try {
    return await endpoints.intakeException(id, signal);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

export default function IntakeExceptionDetail() {
  const { exceptionId = '' } = useParams();
  const user = useUser();
  const { notify } = useNotifications();
  const [refresh, setRefresh] = useState(0);
  const [replaying, setReplaying] = useState(false);
  const [replayError, setReplayError] = useState<ApiError | null>(null);
  usePage('Intake exception', [
    { text: 'Intake exceptions', href: '/intake' },
    { text: exceptionId, href: `/intake/${encodeURIComponent(exceptionId)}` },
  ]);
  const ex = useResource(`exception:${exceptionId}:${refresh}`, (signal) =>
    loadException(exceptionId, signal),
  );
  const x = ex.data;
  const canReplay = can(user.roles, REPLAY);

  const replay = async () => {
    setReplaying(true);
    setReplayError(null);
    try {
      const result = await endpoints.replayException(exceptionId);
      const orderId = 'orderId' in result.outcome ? result.outcome.orderId : undefined;
      notify({
        type: 'success',
        header: result.alreadyResolved ? 'Already replayed' : `Replayed: order ${result.outcome.kind}`,
        content: orderId ? (
          <RouterLink href={`/orders/${encodeURIComponent(orderId)}`}>Open order {orderId}</RouterLink>
        ) : (
          `Exception ${result.exceptionId} is ${result.status}.`
        ),
      });
      setRefresh((r) => r + 1);
    } catch (error) {
      setReplayError(error as ApiError);
    }
    setReplaying(false);
  };

  if (ex.loading && !x) return <Spinner size="large" />;
  if (ex.error) return <ApiErrorAlert error={ex.error} onRetry={ex.reload} what="load the exception" />;
  if (!x) {
    return (
      <ContentLayout header={<Header variant="h1">Intake exception</Header>}>
        <Container>
          <EmptyState
            title="Exception not found"
            subtitle={`No intake exception ${exceptionId} was found.`}
            action={<RouterLink href="/intake">All exceptions</RouterLink>}
          />
        </Container>
      </ContentLayout>
    );
  }
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={x.message}
          actions={
            canReplay && (
              <Button
                variant="primary"
                loading={replaying}
                disabled={x.status !== 'open'}
                disabledReason="Already resolved"
                onClick={() => void replay()}
                data-testid="replay"
              >
                Replay
              </Button>
            )
          }
        >
          {x.code}
        </Header>
      }
    >
      <SpaceBetween size="l">
        <UndeclaredNotice routes={[REPLAY]} />
        {replayError && <ApiErrorAlert error={replayError} what="replay the delivery" />}
        <Container header={<Header variant="h2">Delivery</Header>}>
          <KeyValuePairs
            columns={4}
            items={[
              {
                label: 'Status',
                value: (
                  <StatusIndicator type={x.status === 'open' ? 'warning' : 'success'}>
                    {x.status}
                    {x.resolution ? ` (${x.resolution.outcome})` : ''}
                  </StatusIndicator>
                ),
              },
              { label: 'Channel', value: x.channelId ?? x.channelKey },
              { label: 'Source', value: x.source },
              { label: 'Topic', value: x.topic ?? '—' },
              { label: 'Delivery id', value: <code>{x.deliveryId}</code> },
              { label: 'Received', value: formatDateTime(x.receivedAt) },
              { label: 'Attempts', value: `${x.attempts} (last ${formatDateTime(x.lastAttemptAt)})` },
              ...(x.resolution?.orderId
                ? [
                    {
                      label: 'Order',
                      value: (
                        <RouterLink href={`/orders/${encodeURIComponent(x.resolution.orderId)}`}>
                          {x.resolution.orderId}
                        </RouterLink>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Container>
        {x.issues.length > 0 && (
          <Table
            variant="container"
            header={<Header counter={`(${x.issues.length})`}>Issues</Header>}
            items={x.issues}
            columnDefinitions={[
              { id: 'field', header: 'Field', cell: (i) => <code>{i.field}</code>, isRowHeader: true },
              { id: 'message', header: 'Problem', cell: (i) => i.message },
            ]}
          />
        )}
        <Container
          header={
            <Header
              variant="h2"
              description={`Exactly as the channel sent it (verified), ${x.bodyBytes} bytes${
                x.rawBodyCut ? ' — too large to show whole; replay uses all of it' : ''
              }${x.bodyStorage === 'truncated' ? ' — cut when stored (too large to keep); cannot be replayed' : ''}`}
            >
              Raw payload
            </Header>
          }
        >
          <JsonBlock value={x.rawBody} testId="raw-payload" />
        </Container>
      </SpaceBetween>
    </ContentLayout>
  );
}
