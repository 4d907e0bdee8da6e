import { API_ROUTES } from 'virtual:qm-routes';
import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Pagination from '@cloudscape-design/components/pagination';
import PropertyFilter, { type PropertyFilterProps } from '@cloudscape-design/components/property-filter';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useEffect, useMemo } from 'react';
import { endpoints } from '../../api/endpoints.ts';
import type { AuditEntry } from '../../api/types.ts';
import { useChrome, usePage } from '../../app/chrome.tsx';
import { ROLE_LABELS, type Role } from '../../app/identity.ts';
import { useCursorList } from '../../app/use-resource.ts';
import { DateRangeFilter, resolveRange, type TimeRange } from '../../components/date-range.tsx';
import { formatDateTime, JsonBlock } from '../../components/format.tsx';
import { useQueryParams } from '../../components/query-params.ts';
import { ApiErrorAlert, AuditOutcome, EmptyState } from '../../components/states.tsx';
import { describeAction } from './action-phrases.ts';

/** Commands are what the audit trail records: every POST, PUT, PATCH and DELETE route. */
const COMMAND_ACTIONS = API_ROUTES.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

const FILTERING_PROPERTIES: PropertyFilterProps.FilteringProperty[] = [
  { key: 'actor', propertyLabel: 'Actor', groupValuesLabel: 'Actors', operators: ['='] },
  { key: 'action', propertyLabel: 'Action', groupValuesLabel: 'Actions', operators: ['='] },
];

/** Paths whose values differ between two JSON values (`position.onHand`, `barcodes[1]`). */
export function changedPaths(
  before: unknown,
  after: unknown,
  prefix = '',
): { path: string; before: unknown; after: unknown }[] {
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object';
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) =>
      changedPaths(
        (before as Record<string, unknown>)[k],
        (after as Record<string, unknown>)[k],
        Array.isArray(after) ? `${prefix}[${k}]` : prefix ? `${prefix}.${k}` : k,
      ),
    );
  }
  return JSON.stringify(before) === JSON.stringify(after)
    ? []
    : [{ path: prefix || '(value)', before, after }];
}

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function AuditDetail({ entry }: { entry: AuditEntry }) {
  const changes = entry.before !== undefined ? changedPaths(entry.before, entry.after) : [];
  return (
    <SpaceBetween size="l">
      <KeyValuePairs
        columns={4}
        items={[
          { label: 'When', value: formatDateTime(entry.at) },
          { label: 'Actor', value: entry.actor },
          { label: 'Roles', value: entry.roles.map((r) => ROLE_LABELS[r as Role] ?? r).join(', ') || '—' },
          {
            label: 'Action',
            value: (
              <SpaceBetween size="xxxs">
                <span>{describeAction(entry.action)}</span>
                <code>{entry.action}</code>
              </SpaceBetween>
            ),
          },
          { label: 'Path', value: <code>{entry.path}</code> },
          { label: 'Outcome', value: `${entry.outcome} (HTTP ${entry.status})` },
          { label: 'Source IP', value: entry.sourceIp ?? '—' },
          { label: 'Correlation id', value: <code>{entry.correlationId}</code> },
          { label: 'User agent', value: entry.userAgent ?? '—' },
          { label: 'Audit id', value: <code>{entry.auditId}</code> },
        ]}
      />
      {changes.length > 0 && (
        <Table
          variant="embedded"
          header={
            <Header variant="h3" counter={`(${changes.length})`}>
              Changed fields
            </Header>
          }
          items={changes}
          columnDefinitions={[
            { id: 'path', header: 'Field', cell: (c) => <code>{c.path}</code> },
            { id: 'before', header: 'Before', cell: (c) => show(c.before) },
            { id: 'after', header: 'After', cell: (c) => show(c.after) },
          ]}
        />
      )}
      <ColumnLayout columns={2} variant="text-grid">
        <SpaceBetween size="xs">
          <Box variant="awsui-key-label">Before</Box>
          {entry.before === undefined ? (
            <Box color="text-body-secondary">Not recorded (a creation, or a command that was refused)</Box>
          ) : (
            <JsonBlock value={entry.before} testId="audit-before" />
          )}
        </SpaceBetween>
        <SpaceBetween size="xs">
          <Box variant="awsui-key-label">After</Box>
          {entry.after === undefined ? (
            <Box color="text-body-secondary">Not recorded (the command was refused)</Box>
          ) : (
            <JsonBlock value={entry.after} testId="audit-after" />
          )}
        </SpaceBetween>
      </ColumnLayout>
    </SpaceBetween>
  );
}

export default function Audit() {
  usePage('Audit trail', [{ text: 'Audit trail', href: '/audit' }]);
  const { set } = useChrome();
  const [params, update] = useQueryParams();
  const actor = params.get('actor') ?? '';
  const action = params.get('action') ?? '';
  const selectedId = params.get('entry');
  const time: TimeRange =
    params.get('from') || params.get('to')
      ? {
          ...(params.get('from') ? { from: params.get('from')! } : {}),
          ...(params.get('to') ? { to: params.get('to')! } : {}),
        }
      : { range: params.get('range') ?? '7d' };

  const key = `audit:${actor}:${action}:${JSON.stringify(time)}`;
  const list = useCursorList<AuditEntry>(key, (cursor, signal) =>
    endpoints.audit({ actor, action, ...resolveRange(time), limit: 50, cursor }, signal),
  );
  const selected = list.items.find((i) => i.auditId === selectedId);

  useEffect(() => {
    set({
      splitPanel: selected
        ? {
            header: `${describeAction(selected.action)} by ${selected.actor}`,
            content: <AuditDetail entry={selected} />,
          }
        : null,
    });
  }, [selected, set]);
  useEffect(() => () => set({ splitPanel: null }), [set]);

  const query: PropertyFilterProps.Query = useMemo(
    () => ({
      operation: 'and',
      tokens: [
        ...(actor ? [{ propertyKey: 'actor', operator: '=', value: actor }] : []),
        ...(action ? [{ propertyKey: 'action', operator: '=', value: action }] : []),
      ],
    }),
    [actor, action],
  );

  return (
    <Table<AuditEntry>
      data-testid="audit-table"
      variant="full-page"
      loading={list.loading}
      loadingText="Loading the audit trail"
      items={list.items}
      trackBy="auditId"
      selectionType="single"
      selectedItems={selected ? [selected] : []}
      onSelectionChange={({ detail }) => update({ entry: detail.selectedItems[0]?.auditId })}
      onRowClick={({ detail }) => update({ entry: detail.item.auditId })}
      wrapLines={false}
      stickyHeader
      header={
        <Header
          variant="awsui-h1-sticky"
          counter={list.data ? `(${list.items.length}${list.data.nextCursor ? '+' : ''})` : undefined}
          description="Every command sent through the API: who, with which role, what, on what, the outcome, before and after. Newest first; entries cannot be changed or deleted. Select one to see what changed."
        >
          Audit trail
        </Header>
      }
      filter={
        <SpaceBetween direction="horizontal" size="xs">
          <div className="qm-property-filter">
            <PropertyFilter
              query={query}
              onChange={({ detail }) => {
                const last = (k: string) =>
                  [...detail.tokens].reverse().find((t) => t.propertyKey === k)?.value as string | undefined;
                update({ actor: last('actor'), action: last('action'), entry: undefined });
              }}
              filteringProperties={FILTERING_PROPERTIES}
              filteringOptions={COMMAND_ACTIONS.map((a) => ({
                propertyKey: 'action',
                value: a,
                label: describeAction(a),
              }))}
              filteringPlaceholder="Filter by actor or action"
              hideOperations
              expandToViewport
              countText={`${list.items.length} entries`}
            />
          </div>
          <DateRangeFilter
            value={time}
            maxDays={92}
            onChange={(r) =>
              update({
                range: r.range ?? (r.from ? undefined : '7d'),
                from: r.from,
                to: r.to,
                entry: undefined,
              })
            }
          />
        </SpaceBetween>
      }
      pagination={<Pagination {...list.pagination} />}
      empty={
        list.error ? (
          <ApiErrorAlert error={list.error} onRetry={list.reload} what="load the audit trail" />
        ) : (
          <EmptyState title="No entries" subtitle="No command matches these filters in this period." />
        )
      }
      columnDefinitions={[
        { id: 'at', header: 'When', cell: (e) => formatDateTime(e.at), isRowHeader: true },
        { id: 'actor', header: 'Actor', cell: (e) => e.actor },
        {
          id: 'roles',
          header: 'Role',
          cell: (e) => e.roles.map((r) => ROLE_LABELS[r as Role] ?? r).join(', '),
        },
        {
          id: 'action',
          header: 'Action',
          cell: (e) => <span title={e.action}>{describeAction(e.action)}</span>,
        },
        {
          id: 'target',
          header: 'Target',
          cell: (e) =>
            Object.entries(e.target ?? {})
              .map(([k, v]) => `${k}=${v}`)
              .join(', ') || '—',
        },
        {
          id: 'outcome',
          header: 'Outcome',
          cell: (e) => <AuditOutcome outcome={e.outcome} status={e.status} />,
        },
        { id: 'ip', header: 'Source IP', cell: (e) => e.sourceIp ?? '—' },
        {
          id: 'correlation',
          header: 'Correlation id',
          cell: (e) => (
            <Box variant="code" fontSize="body-s">
              {e.correlationId}
            </Box>
          ),
        },
      ]}
    />
  );
}
