import Badge from '@cloudscape-design/components/badge';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Pagination from '@cloudscape-design/components/pagination';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useEffect, useState } from 'react';
import { endpoints } from '../../api/endpoints.ts';
import type { IntakeExceptionSummary } from '../../api/types.ts';
import { can } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useUser } from '../../app/session.tsx';
import { useCursorList } from '../../app/use-resource.ts';
import { formatDateTime } from '../../components/format.tsx';
import { RouterButton, RouterLink } from '../../components/links.tsx';
import { useQueryParams } from '../../components/query-params.ts';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';
import { ExceptionsPerDay } from './exceptions-per-day.tsx';

/**
 * Verified channel deliveries that could not become orders (unknown SKU, bad payload, unknown
 * channel), newest first, as summaries: the list never carries raw bodies. Each links to its
 * detail, which loads the raw payload, and a replay.
 */
const formatBytes = (n: number) =>
  n < 1024
    ? `${n} B`
    : n < 1024 * 1024
      ? `${(n / 1024).toFixed(1)} KB`
      : `${(n / 1024 / 1024).toFixed(1)} MB`;

export default function IntakeExceptions() {
  usePage('Intake exceptions', [{ text: 'Intake exceptions', href: '/intake' }]);
  const user = useUser();
  const [params, update] = useQueryParams();
  const status = params.get('status') === 'resolved' ? 'resolved' : 'open';
  const channelId = params.get('channelId') ?? '';
  const [channelDraft, setChannelDraft] = useState(channelId);
  useEffect(() => setChannelDraft(channelId), [channelId]);

  const list = useCursorList<IntakeExceptionSummary>(`intake:${status}:${channelId}`, (cursor, signal) =>
    endpoints.intakeExceptions(
      { status, ...(channelId ? { channelId } : {}), limit: 25, ...(cursor ? { cursor } : {}) },
      signal,
    ),
  );

  const table = (
    <Table<IntakeExceptionSummary>
      data-testid="intake-table"
      variant="full-page"
      stickyHeader
      loading={list.loading}
      loadingText="Loading exceptions"
      items={list.items}
      trackBy="exceptionId"
      wrapLines={false}
      header={
        <Header
          variant="awsui-h1-sticky"
          counter={list.data ? `(${list.items.length}${list.data.nextCursor ? '+' : ''})` : undefined}
          description="Channel deliveries that passed signature checks but could not become orders. Fix the cause (map the SKU, create the channel), then replay."
          actions={
            can(user.roles, 'GET /api/intake/rejections') && (
              <RouterButton href="/intake/rejections">Rejected webhooks</RouterButton>
            )
          }
        >
          Intake exceptions
        </Header>
      }
      filter={
        <SpaceBetween direction="horizontal" size="xs">
          <SegmentedControl
            selectedId={status}
            onChange={({ detail }) =>
              update({ status: detail.selectedId === 'open' ? undefined : detail.selectedId })
            }
            options={[
              { id: 'open', text: 'Open' },
              { id: 'resolved', text: 'Resolved' },
            ]}
            label="Status"
          />
          <form
            onSubmit={(e) => {
              e.preventDefault();
              update({ channelId: channelDraft.trim() || undefined });
            }}
          >
            <Input
              type="search"
              value={channelDraft}
              onChange={({ detail }) => setChannelDraft(detail.value)}
              placeholder="Channel id"
              ariaLabel="Channel id"
            />
          </form>
        </SpaceBetween>
      }
      pagination={<Pagination {...list.pagination} />}
      empty={
        list.error ? (
          <ApiErrorAlert error={list.error} onRetry={list.reload} what="load intake exceptions" />
        ) : (
          <EmptyState title="No exceptions" subtitle="Every delivery became an order." />
        )
      }
      columnDefinitions={[
        { id: 'received', header: 'Received', cell: (x) => formatDateTime(x.receivedAt), isRowHeader: true },
        { id: 'channel', header: 'Channel', cell: (x) => x.channelId ?? x.channelKey },
        { id: 'source', header: 'Source', cell: (x) => x.source },
        {
          id: 'code',
          header: 'Reason',
          cell: (x) => (
            <RouterLink href={`/intake/${encodeURIComponent(x.exceptionId)}`}>
              <Badge color="severity-medium">{x.code}</Badge>
            </RouterLink>
          ),
        },
        { id: 'message', header: 'Message', cell: (x) => x.message },
        { id: 'attempts', header: 'Attempts', cell: (x) => x.attempts },
        {
          id: 'size',
          header: 'Body',
          cell: (x) => (x.bodyBytes === undefined ? '—' : formatBytes(x.bodyBytes)),
        },
        {
          id: 'status',
          header: 'Status',
          cell: (x) => (
            <StatusIndicator type={x.status === 'open' ? 'warning' : 'success'}>{x.status}</StatusIndicator>
          ),
        },
      ]}
    />
  );
  return (
    <SpaceBetween size="l">
      <ExceptionsPerDay />
      {table}
    </SpaceBetween>
  );
}
