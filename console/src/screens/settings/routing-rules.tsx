import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import Textarea from '@cloudscape-design/components/textarea';
import { useState } from 'react';
import type { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { RoutingRuleInput, SimulationReport, StoredRuleSet } from '../../api/types.ts';
import { can } from '../../app/access.ts';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { formatDateTime, formatMoney } from '../../components/format.tsx';
import { ApiErrorAlert, UndeclaredNotice } from '../../components/states.tsx';

const PUT_RULES = 'PUT /api/routing-rules';
const SIMULATE = 'POST /api/routing-rules/simulate';

/** Parses the editor's text: a JSON object, or the reason it is not one. The API validates the rest. */
function parseRules(text: string): { rules?: RoutingRuleInput; error?: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value))
      return { error: 'The rules must be a JSON object' };
    return { rules: value as RoutingRuleInput };
  } catch (e) {
    return { error: `Not valid JSON: ${(e as Error).message}` };
  }
}

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const signed = (n: number, f: (n: number) => string = String) => (n > 0 ? `+${f(n)}` : f(n));

function SimulationResult({ report }: { report: SimulationReport }) {
  const rows = [
    {
      label: 'Split rate',
      c: pct(report.candidate.splitRate),
      a: pct(report.active.splitRate),
      d: signed(report.delta.splitRate, pct),
    },
    {
      // The rules price shipments in minor units (cents); people read them in units (10.50).
      label: 'Average shipping cost',
      c: formatMoney(report.candidate.avgShippingCost, undefined),
      a: formatMoney(report.active.avgShippingCost, undefined),
      d: signed(report.delta.avgShippingCost, (n) => formatMoney(n, undefined)),
    },
    {
      label: 'SLA misses',
      c: String(report.candidate.slaMisses),
      a: String(report.active.slaMisses),
      d: signed(report.delta.slaMisses),
    },
    {
      label: 'Backordered',
      c: String(report.candidate.backordered),
      a: String(report.active.backordered),
      d: signed(report.delta.backordered),
    },
  ];
  return (
    <Container
      data-testid="simulation-report"
      header={
        <Header
          variant="h3"
          description={`${report.ordersReplayed} orders since ${formatDateTime(report.since)} replayed under the candidate and under active version ${report.activeVersion}${report.truncated ? ' (truncated)' : ''}. Nothing was written.`}
        >
          Simulation
        </Header>
      }
    >
      <ColumnLayout columns={4} variant="text-grid">
        <Box variant="awsui-key-label">Metric</Box>
        <Box variant="awsui-key-label">Candidate</Box>
        <Box variant="awsui-key-label">Active</Box>
        <Box variant="awsui-key-label">Change</Box>
        {rows.flatMap((r) => [
          <Box key={`${r.label}:l`}>{r.label}</Box>,
          <Box key={`${r.label}:c`}>{r.c}</Box>,
          <Box key={`${r.label}:a`}>{r.a}</Box>,
          <Box key={`${r.label}:d`}>{r.d}</Box>,
        ])}
      </ColumnLayout>
    </Container>
  );
}

function Editor({ active, onSaved }: { active: StoredRuleSet; onSaved(): void }) {
  const user = useUser();
  const { notify } = useNotifications();
  const [text, setText] = useState(() => JSON.stringify(active.rules, null, 2));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<'save' | 'simulate' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [failed, setFailed] = useState<'save' | 'simulate'>('save');
  const [report, setReport] = useState<SimulationReport | null>(null);
  const parsed = parseRules(text);
  const canSave = can(user.roles, PUT_RULES);
  const canSimulate = can(user.roles, SIMULATE);

  const save = async () => {
    if (!parsed.rules) return;
    setBusy('save');
    setFailed('save');
    setError(null);
    try {
      const stored = await endpoints.putRoutingRules({
        rules: parsed.rules,
        expectedVersion: active.version,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      notify({ type: 'success', header: `Routing rules version ${stored.version} is active` });
      setNote('');
      onSaved();
    } catch (e) {
      setError(e as ApiError);
    }
    setBusy(null);
  };
  const simulate = async () => {
    if (!parsed.rules) return;
    setBusy('simulate');
    setFailed('simulate');
    setError(null);
    try {
      setReport(await endpoints.simulateRouting({ rules: parsed.rules }));
    } catch (e) {
      setError(e as ApiError);
    }
    setBusy(null);
  };
  const conflict = error?.status === 409;

  return (
    <SpaceBetween size="m">
      <UndeclaredNotice routes={[PUT_RULES, SIMULATE]} />
      {conflict ? (
        <Alert
          type="warning"
          header="Someone saved a newer version"
          data-testid="rules-conflict"
          action={<Button onClick={onSaved}>Load the latest version</Button>}
        >
          You started from version {active.version}; {error.message}. Your edits were not saved: load the
          latest version and apply them again.
        </Alert>
      ) : (
        error && (
          <ApiErrorAlert
            error={error}
            what={failed === 'simulate' ? 'simulate the rules' : 'save the rules'}
          />
        )
      )}
      <FormField
        label="Rules (JSON)"
        description="Weights, nodes, zones, transit days, SLA days, shipping cost, inbound lead days. See docs/routing-rules.md."
        errorText={parsed.error}
        stretch
      >
        <Textarea
          data-testid="rules-editor"
          value={text}
          rows={20}
          spellcheck={false}
          readOnly={!canSave && !canSimulate}
          onChange={({ detail }) => setText(detail.value)}
        />
      </FormField>
      {canSave && (
        <FormField label="Note" description="Why this version (optional)">
          <Input value={note} onChange={({ detail }) => setNote(detail.value.slice(0, 500))} />
        </FormField>
      )}
      <SpaceBetween direction="horizontal" size="xs">
        {canSimulate && (
          <Button
            data-testid="simulate-rules"
            disabled={!parsed.rules}
            loading={busy === 'simulate'}
            onClick={() => void simulate()}
          >
            Simulate
          </Button>
        )}
        {canSave && (
          <Button
            data-testid="save-rules"
            variant="primary"
            disabled={!parsed.rules}
            loading={busy === 'save'}
            onClick={() => void save()}
          >
            Save as version {active.version + 1}
          </Button>
        )}
      </SpaceBetween>
      {report && <SimulationResult report={report} />}
    </SpaceBetween>
  );
}

/** Settings → Routing rules: the active version, a JSON editor to save the next one, and the simulator. */
export function RoutingRulesTab() {
  const [refresh, setRefresh] = useState(0);
  const rules = useResource(`routing-rules:${refresh}`, (signal) => endpoints.getRoutingRules(signal));
  const data = rules.data;
  return (
    <Container
      data-testid="routing-rules"
      header={
        <Header
          variant="h2"
          description="Which location fulfils an order: eligibility, then a weighted score (stock depth, distance, cost, priority) with a split penalty. Every save is a new version."
        >
          Routing rules
        </Header>
      }
    >
      {rules.error ? (
        <ApiErrorAlert error={rules.error} onRetry={rules.reload} what="load the routing rules" />
      ) : !data ? (
        <Spinner size="large" />
      ) : (
        <SpaceBetween size="l">
          <KeyValuePairs
            columns={4}
            items={[
              {
                label: 'Active version',
                value: (
                  <span data-testid="active-rules-version">
                    {data.active.version === 0 ? '0 (defaults)' : data.active.version}
                  </span>
                ),
              },
              {
                label: 'Saved',
                value: data.active.version === 0 ? '—' : formatDateTime(data.active.createdAt),
              },
              { label: 'By', value: data.active.version === 0 ? '—' : data.active.createdBy },
              { label: 'Note', value: data.active.note ?? '—' },
            ]}
          />
          <Editor key={data.active.version} active={data.active} onSaved={() => setRefresh((r) => r + 1)} />
          {data.versions.length > 0 && (
            <Box variant="small" color="text-body-secondary">
              Recent versions:{' '}
              {data.versions
                .map(
                  (v) =>
                    `v${v.version} ${formatDateTime(v.createdAt)} by ${v.createdBy}${v.note ? ` (${v.note})` : ''}`,
                )
                .join(' · ')}
            </Box>
          )}
        </SpaceBetween>
      )}
    </Container>
  );
}
