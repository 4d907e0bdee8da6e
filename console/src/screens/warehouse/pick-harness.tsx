import Alert from '@cloudscape-design/components/alert';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { usePage } from '../../app/chrome.tsx';
import { type PickLine, type PickOutcome, ScannerPick } from './scanner-pick.tsx';

/** Sample lines for trying the scanner locally; codes are printed on the screen to type or scan. */
const SAMPLE: PickLine[] = [
  {
    lineId: '1',
    sku: 'MUG-01',
    name: 'Enamel mug, 350 ml',
    bin: 'A-01-1',
    barcodes: ['0012345678905'],
    quantity: 2,
  },
  {
    lineId: '2',
    sku: 'TEE-M',
    name: 'T-shirt, medium',
    bin: 'B-04-2',
    barcodes: ['0098765432109'],
    quantity: 1,
  },
];

/** `?lines=` carries the pick lines as base64url JSON (what the browser tests pass). */
export function decodeLines(param: string | null): PickLine[] | Error {
  if (!param) return SAMPLE;
  try {
    const json = atob(param.replace(/-/g, '+').replace(/_/g, '/'));
    const lines = JSON.parse(json) as PickLine[];
    if (!Array.isArray(lines) || lines.some((l) => !l.sku || !l.bin || !(l.quantity > 0))) {
      throw new Error('each line needs sku, bin and a positive quantity');
    }
    return lines.map((l, i) => ({ ...l, lineId: l.lineId ?? String(i + 1), barcodes: l.barcodes ?? [] }));
  } catch (error) {
    return new Error(`The lines parameter is not valid: ${(error as Error).message}`);
  }
}

/**
 * Local mode only (the route does not exist on AWS): the scanner pick screen driven by a given
 * list, so its interaction can be tried and tested before pick tasks are served by the API.
 * Nothing is recorded.
 */
export default function PickHarness() {
  usePage('Pick (harness)', [
    { text: 'Warehouse', href: '/warehouse' },
    { text: 'Pick', href: '/warehouse/pick' },
    { text: 'Harness', href: '/warehouse/pick/harness' },
  ]);
  const [params] = useSearchParams();
  const lines = useMemo(() => decodeLines(params.get('lines')), [params]);
  const [outcome, setOutcome] = useState<PickOutcome[] | null>(null);
  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description="Local harness: the real pick screen with a given pick list. Nothing is recorded."
      >
        Pick
      </Header>
      {lines instanceof Error ? (
        <Alert type="error">{lines.message}</Alert>
      ) : (
        <ScannerPick lines={lines} title="Pick list (harness)" onComplete={setOutcome} />
      )}
      {outcome && (
        <Alert type="info" header="Outcome" data-testid="pick-outcome">
          {outcome
            .map((o) => `${o.sku}: ${o.picked} picked${o.short ? `, ${o.short} short` : ''}`)
            .join('; ')}
        </Alert>
      )}
    </SpaceBetween>
  );
}
