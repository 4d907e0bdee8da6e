import { useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { ApiError } from '../../api/client.ts';
import { inboundFloorEndpoints, type ReceivingException } from '../../api/inbound-floor-endpoints.ts';
import { can, isDeclared } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { useUser } from '../../app/session.tsx';
import {
  Field,
  PageHeader,
  PlainApiError,
  PlainButton,
  PlainNoAccess,
  PlainNotAvailable,
  Section,
  Spinner,
  Status,
} from '../../components/plain.tsx';
import { ScanField, ScanMessage, ScanPanel, useScanOutcome } from './scan-field.tsx';
import { useLoaded } from './use-loaded.ts';
import { withRetries } from './with-retries.ts';

const SCAN = 'POST /api/receipts/{asnId}/scans';

/**
 * The handheld receiving screen: scan (or type) the ASN's id, then each unit or case as it comes
 * off the truck; the API counts every scan against the ASN and refuses what is not on it. A
 * quantity above 1 counts a case at once; "Damaged" sends the next scans to the damaged bucket.
 */
export default function Receive() {
  usePage('Receive', [
    { text: 'Warehouse', href: '/warehouse' },
    { text: 'Receive', href: '/warehouse/receive' },
  ]);
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const asnId = params.get('asn');
  const choose = (id: string | undefined) => setParams(id ? { asn: id } : {}, { replace: false });
  return (
    <div className="qm-stack">
      <PageHeader
        title="Receive"
        description="Scan the ASN, then each unit or case. Works with handheld scanners."
      />
      {!isDeclared(SCAN) ? (
        <PlainNotAvailable route={SCAN} />
      ) : !can(user.roles, SCAN) ? (
        <PlainNoAccess roles={user.roles} what="Receiving" />
      ) : asnId ? (
        <Receiving key={asnId} asnId={asnId} onLeave={() => choose(undefined)} />
      ) : (
        <Section title="Scan an ASN">
          <ScanField
            keepFocus
            onScan={choose}
            placeholder="Scan or type the ASN id"
            ariaLabel="ASN id"
            testId="asn-input"
          />
        </Section>
      )}
    </div>
  );
}

/** Refusals of a receiving scan (409), in words for the dock. */
function refusal(e: ApiError, code: string): string {
  switch (e.code) {
    case 'NOT_ON_ASN':
      return `${code} is not on this ASN: set it aside (recorded as wrong SKU)`;
    case 'OVER_RECEIPT':
      return `Too many ${(e.details as { sku?: string } | undefined)?.sku ?? code}: ${e.message}`;
    case 'RECEIPT_CLOSED':
      return 'This receipt is closed';
    default:
      return e.message;
  }
}

function Receiving(props: { asnId: string; onLeave: () => void }) {
  const { asnId } = props;
  const receipt = useLoaded(`receipt:${asnId}`, (signal) => inboundFloorEndpoints.receipt(asnId, signal));
  const [lines, setLines] = useState<{ sku: string; expected: number; received: number }[] | null>(null);
  const [quantity, setQuantity] = useState(1);
  const [damaged, setDamaged] = useState(false);
  const [closing, setClosing] = useState(false);
  const [closed, setClosed] = useState<ReceivingException[] | null>(null);
  const [closeError, setCloseError] = useState<ApiError | null>(null);
  const { last, show } = useScanOutcome();
  // Scans run one after another in the order scanned (a wedge scanner fires faster than the API answers).
  const queue = useRef<Promise<void>>(Promise.resolve());
  const settings = useRef({ quantity, damaged });
  settings.current = { quantity, damaged };

  const shown = lines ?? receipt.data?.lines ?? [];
  const isClosed = closed !== null || receipt.data?.status === 'closed';

  const scan = (code: string) => {
    const { quantity: n, damaged: bad } = settings.current;
    queue.current = queue.current.then(async () => {
      const scanId = `scan-${crypto.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`}`;
      try {
        const out = await withRetries(() =>
          inboundFloorEndpoints.scan(asnId, {
            code,
            quantity: n,
            condition: bad ? 'damaged' : 'good',
            scanId,
          }),
        );
        setLines(out.lines);
        const line = out.lines.find((l) => l.sku === code) ?? out.lines.find((l) => l.received > 0);
        show(
          'ok',
          `${n} × ${code}${bad ? ' damaged' : ''}${line ? ` · ${line.sku} ${line.received} of ${line.expected}` : ''}`,
        );
      } catch (error) {
        const e = error as ApiError;
        show('error', refusal(e, code), e.code);
      }
    });
  };

  const close = async () => {
    setClosing(true);
    setCloseError(null);
    try {
      const out = await withRetries(() => inboundFloorEndpoints.close(asnId));
      setClosed(out.exceptions);
      show(
        'ok',
        out.exceptions.length
          ? `Closed with ${out.exceptions.length} exception(s)`
          : 'Closed: all as announced',
      );
    } catch (error) {
      setCloseError(error as ApiError);
    }
    setClosing(false);
  };

  return (
    <div className="qm-stack">
      <ScanPanel last={last}>
        <Section
          title={`ASN ${asnId}`}
          description={receipt.data ? `PO ${receipt.data.poId}` : undefined}
          actions={<PlainButton onClick={props.onLeave}>Other ASN</PlainButton>}
        >
          {receipt.error ? (
            <PlainApiError error={receipt.error} onRetry={receipt.reload} what={`load ASN ${asnId}`} />
          ) : !receipt.data ? (
            <Spinner label="Loading the ASN" />
          ) : (
            <>
              <table className="qm-table" data-testid="receipt-lines">
                <thead>
                  <tr>
                    <th>SKU</th>
                    <th>Received</th>
                    <th>Expected</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((l) => (
                    <tr key={l.sku} data-sku={l.sku}>
                      <td>{l.sku}</td>
                      <td className="qm-heading">{l.received}</td>
                      <td>{l.expected}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {!isClosed && (
                <>
                  <div className="qm-row">
                    <Field label="Units per scan">
                      <input
                        type="number"
                        min={1}
                        className="qm-input"
                        value={quantity}
                        onChange={(e) => setQuantity(Math.max(1, Math.floor(Number(e.target.value) || 1)))}
                        data-testid="scan-quantity"
                      />
                    </Field>
                    <label className="qm-field">
                      <span className="qm-field-label">Condition</span>
                      <span>
                        <input
                          type="checkbox"
                          checked={damaged}
                          onChange={(e) => setDamaged(e.target.checked)}
                          data-testid="scan-damaged"
                        />{' '}
                        Damaged
                      </span>
                    </label>
                  </div>
                  <ScanField
                    keepFocus
                    yieldToControls
                    onScan={scan}
                    placeholder={damaged ? 'Scan a damaged unit' : 'Scan a unit or case'}
                    ariaLabel="Unit code"
                  />
                </>
              )}
              <ScanMessage last={last} />
              {closeError && <PlainApiError error={closeError} what="close the receipt" />}
              {isClosed ? (
                <div data-testid="receipt-closed">
                  <Status type="success">Receipt closed</Status>
                  <ExceptionList exceptions={closed ?? receipt.data.exceptions ?? []} />
                </div>
              ) : (
                <div className="qm-row">
                  <PlainButton
                    variant="primary"
                    className="qm-btn-big"
                    loading={closing}
                    onClick={() => void close()}
                    testId="close-receipt"
                  >
                    Close receipt
                  </PlainButton>
                </div>
              )}
            </>
          )}
        </Section>
      </ScanPanel>
    </div>
  );
}

const EXCEPTION_WORDS: Record<ReceivingException['type'], string> = {
  over: 'over',
  short: 'short',
  wrong_sku: 'wrong SKU',
  damaged: 'damaged',
};

function ExceptionList(props: { exceptions: ReceivingException[] }) {
  if (props.exceptions.length === 0)
    return <p className="qm-muted">No exceptions: everything as announced.</p>;
  return (
    <ul data-testid="receipt-exceptions">
      {props.exceptions.map((x) => (
        <li key={`${x.type}:${x.sku}`}>
          {x.sku}: {x.quantity} {EXCEPTION_WORDS[x.type]}
        </li>
      ))}
    </ul>
  );
}
