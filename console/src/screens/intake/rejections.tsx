import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import Popover from '@cloudscape-design/components/popover';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { endpoints } from '../../api/endpoints.ts';
import type { Rejection } from '../../api/types.ts';
import { usePage } from '../../app/chrome.tsx';
import { useCursorList } from '../../app/use-resource.ts';
import { formatDateTime, JsonBlock } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';

/**
 * Webhooks that failed signature verification, with counts per channel and day: a wrong secret
 * after a rotation shows up here, and so does someone probing the endpoints. They are never
 * replayed (the signature would have to verify again).
 */
export default function Rejections() {
  usePage('Rejected webhooks', [
    { text: 'Intake exceptions', href: '/intake' },
    { text: 'Rejected webhooks', href: '/intake/rejections' },
  ]);
  const list = useCursorList<Rejection>('rejections', (cursor, signal) =>
    endpoints.rejections({ limit: 50, ...(cursor ? { cursor } : {}) }, signal),
  );
  const counts = (
    list.data as
      | { counts?: { channelId: string; day: string; rejected: number; lastReason: string }[] }
      | undefined
  )?.counts;
  return (
    <SpaceBetween size="l">
      <Table
        variant="container"
        data-testid="rejection-counts"
        header={
          <Header
            variant="h1"
            description="Deliveries that failed signature verification, counted per channel and day."
          >
            Rejected webhooks
          </Header>
        }
        loading={list.loading && !counts}
        loadingText="Loading"
        items={counts ?? []}
        trackBy={(c) => `${c.channelId}:${c.day}`}
        empty={<EmptyState title="No rejected webhooks" />}
        columnDefinitions={[
          { id: 'day', header: 'Day', cell: (c) => c.day, isRowHeader: true },
          { id: 'channel', header: 'Channel', cell: (c) => c.channelId },
          { id: 'count', header: 'Rejected', cell: (c) => <Box fontWeight="bold">{c.rejected}</Box> },
          { id: 'reason', header: 'Last reason', cell: (c) => c.lastReason },
        ]}
      />
      <Table<Rejection>
        variant="container"
        header={
          <Header
            description="Newest first; kept 30 days."
            actions={<RouterLink href="/intake">Intake exceptions</RouterLink>}
          >
            Attempts
          </Header>
        }
        loading={list.loading}
        loadingText="Loading"
        items={list.items}
        trackBy="rejectionId"
        wrapLines={false}
        pagination={<Pagination {...list.pagination} />}
        empty={
          list.error ? (
            <ApiErrorAlert error={list.error} onRetry={list.reload} />
          ) : (
            <EmptyState title="No rejected webhooks" />
          )
        }
        columnDefinitions={[
          { id: 'at', header: 'Received', cell: (r) => formatDateTime(r.receivedAt), isRowHeader: true },
          { id: 'channel', header: 'Channel', cell: (r) => r.channelId },
          { id: 'sender', header: 'Sender', cell: (r) => r.sender },
          { id: 'reason', header: 'Reason', cell: (r) => r.reason },
          { id: 'ip', header: 'Source IP', cell: (r) => r.sourceIp ?? '—' },
          {
            id: 'body',
            header: 'Payload',
            cell: (r) => (
              <Popover
                size="large"
                header={`${r.bodyBytes} bytes${r.bodyTruncated ? ' (truncated)' : ''}`}
                content={<JsonBlock value={r.rawBody} />}
                triggerType="text"
              >
                View
              </Popover>
            ),
          },
        ]}
      />
    </SpaceBetween>
  );
}
