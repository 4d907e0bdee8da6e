import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Input, { type InputProps } from '@cloudscape-design/components/input';
import LiveRegion from '@cloudscape-design/components/live-region';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import {
  type FormEvent,
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from 'react';
import { type Feedback, signal } from '../../app/feedback.ts';

// The short-pick dialog is rare: its modal loads when first opened, not with the screen.
const Modal = lazy(() => import('@cloudscape-design/components/modal'));

/** One line of a pick list: go to `bin`, take `quantity` units of `sku`. */
export interface PickLine {
  lineId: string;
  sku: string;
  name?: string;
  /** The bin label to scan before the item (the picker proves they are at the right place). */
  bin: string;
  /** Codes that identify the item: its barcodes; the SKU code itself is always accepted. */
  barcodes: string[];
  quantity: number;
}

export interface PickOutcome {
  lineId: string;
  sku: string;
  picked: number;
  short: number;
}

interface LineState {
  picked: number;
  short: number;
  binConfirmed: boolean;
}

interface ScanResult {
  kind: Feedback;
  message: string;
  code: string;
  /** Increments on every scan so the same message twice still flashes and is announced. */
  seq: number;
}

interface State {
  index: number;
  lines: LineState[];
  last: ScanResult | null;
  /** Previous states, for "undo last scan". */
  history: { index: number; lines: LineState[] }[];
}

type Action =
  | { type: 'scan'; code: string }
  | { type: 'short' }
  | { type: 'undo' }
  | { type: 'reset'; count: number };

const norm = (code: string) => code.trim().toUpperCase();
const isDone = (line: PickLine, s: LineState) => s.picked + s.short >= line.quantity;

function initial(count: number): State {
  return {
    index: 0,
    lines: Array.from({ length: count }, () => ({ picked: 0, short: 0, binConfirmed: false })),
    last: null,
    history: [],
  };
}

/** The pick rules, as a pure reducer: bin first, then the item, unit by unit; wrong scans change nothing. */
export function pickReducer(pickLines: readonly PickLine[]) {
  return (state: State, action: Action): State => {
    const seq = (state.last?.seq ?? 0) + 1;
    const line = pickLines[state.index];
    const current = state.lines[state.index];
    const snapshot = { index: state.index, lines: state.lines };
    const withLine = (next: LineState) => state.lines.map((l, i) => (i === state.index ? next : l));
    const advance = (lines: LineState[]) => {
      let index = state.index;
      while (index < pickLines.length && isDone(pickLines[index]!, lines[index]!)) index++;
      return index;
    };

    switch (action.type) {
      case 'reset':
        return initial(action.count);
      case 'undo': {
        const previous = state.history.at(-1);
        if (!previous) return state;
        return {
          ...previous,
          history: state.history.slice(0, -1),
          last: { kind: 'ok', message: 'Last scan undone', code: '', seq },
        };
      }
      case 'short': {
        if (!line || !current) return state;
        const lines = withLine({ ...current, short: line.quantity - current.picked });
        const index = advance(lines);
        return {
          index,
          lines,
          history: [...state.history, snapshot],
          last: {
            kind: index >= pickLines.length ? 'done' : 'ok',
            message: `Short pick recorded: ${line.quantity - current.picked} of ${line.sku} not found`,
            code: '',
            seq,
          },
        };
      }
      case 'scan': {
        const code = norm(action.code);
        if (!code || !line || !current) return state;
        const error = (message: string): State => ({
          ...state,
          last: { kind: 'error', message, code: action.code, seq },
        });
        const isItem = norm(line.sku) === code || line.barcodes.some((b) => norm(b) === code);
        if (!current.binConfirmed) {
          if (norm(line.bin) === code) {
            return {
              ...state,
              lines: withLine({ ...current, binConfirmed: true }),
              history: [...state.history, snapshot],
              last: {
                kind: 'ok',
                message: `Bin ${line.bin} confirmed. Scan ${line.sku}.`,
                code: action.code,
                seq,
              },
            };
          }
          return error(
            isItem
              ? `Scan bin ${line.bin} first, then the item.`
              : `Wrong bin: ${action.code} is not ${line.bin}.`,
          );
        }
        if (!isItem) {
          const other = pickLines.find(
            (l) => norm(l.sku) === code || l.barcodes.some((b) => norm(b) === code),
          );
          return error(
            other
              ? `Wrong item: that is ${other.sku}. This line needs ${line.sku}.`
              : `Wrong item: ${action.code} is not ${line.sku}.`,
          );
        }
        const lines = withLine({ ...current, picked: current.picked + 1 });
        const index = advance(lines);
        const lineDone = index !== state.index;
        return {
          index,
          lines,
          history: [...state.history, snapshot],
          last: {
            kind: index >= pickLines.length ? 'done' : 'ok',
            message: lineDone
              ? index >= pickLines.length
                ? 'Pick complete.'
                : `${line.sku} complete. Next: bin ${pickLines[index]!.bin}.`
              : `${line.sku}: ${current.picked + 1} of ${line.quantity}`,
            code: action.code,
            seq,
          },
        };
      }
    }
  };
}

/**
 * The scanner pick screen: works with a keyboard-wedge barcode scanner (it types the code and
 * presses Enter) and with touch. The scan field keeps the focus, except while a dialog is open,
 * so the picker never has to tap it; a wrong scan shows an error, buzzes and vibrates.
 */
export function ScannerPick(props: {
  lines: readonly PickLine[];
  title?: string;
  onComplete?: (outcomes: PickOutcome[]) => void;
}) {
  const { lines } = props;
  const reducer = useMemo(() => pickReducer(lines), [lines]);
  const [state, dispatch] = useReducer(reducer, lines.length, initial);
  const [code, setCode] = useState('');
  const [confirmShort, setConfirmShort] = useState(false);
  const inputRef = useRef<InputProps.Ref>(null);
  const dialogOpen = useRef(false);
  dialogOpen.current = confirmShort;

  const complete = state.index >= lines.length;
  const line = lines[state.index];
  const current = state.lines[state.index];

  const refocus = useCallback(() => {
    if (dialogOpen.current) return;
    // After the blur has finished (a click elsewhere), take the focus back.
    setTimeout(() => {
      if (!dialogOpen.current) inputRef.current?.focus();
    }, 0);
  }, []);

  useEffect(() => {
    refocus();
    const onVisible = () => document.visibilityState === 'visible' && refocus();
    window.addEventListener('focus', refocus);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('focus', refocus);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [refocus]);

  useEffect(() => {
    if (state.last) signal(state.last.kind);
  }, [state.last]);

  const onCompleteRef = useRef(props.onComplete);
  onCompleteRef.current = props.onComplete;
  useEffect(() => {
    if (complete && lines.length > 0) {
      onCompleteRef.current?.(
        lines.map((l, i) => ({
          lineId: l.lineId,
          sku: l.sku,
          picked: state.lines[i]!.picked,
          short: state.lines[i]!.short,
        })),
      );
    }
  }, [complete, lines, state.lines]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (code.trim()) dispatch({ type: 'scan', code });
    setCode('');
    inputRef.current?.focus();
  };

  const closeDialog = () => {
    setConfirmShort(false);
    dialogOpen.current = false;
    refocus();
  };

  const feedback = state.last;
  return (
    <div className="qm-pick" data-scan-state={feedback?.kind ?? 'idle'}>
      <SpaceBetween size="l">
        <div className="qm-scan-panel">
          {/* Re-keyed per scan so the flash restarts; the panel itself never remounts (it holds the focus). */}
          {feedback?.kind === 'error' && (
            <div key={feedback.seq} className="qm-scan-flash" aria-hidden="true" />
          )}
          <Container
            header={
              <Header
                variant="h2"
                counter={`(${Math.min(state.index + 1, lines.length)} of ${lines.length})`}
              >
                {props.title ?? 'Pick'}
              </Header>
            }
          >
            <SpaceBetween size="m">
              {complete ? (
                <Box variant="h2" data-testid="pick-complete">
                  <StatusIndicator type="success">Pick complete</StatusIndicator>
                </Box>
              ) : (
                line &&
                current && (
                  <div className="qm-pick-target" data-testid="pick-current">
                    <div
                      className={`qm-pick-step${current.binConfirmed ? ' qm-pick-step-done' : ' qm-pick-step-active'}`}
                    >
                      <Box variant="small" color="text-body-secondary">
                        1. Go to bin
                      </Box>
                      <div className="qm-pick-big" data-testid="pick-bin">
                        {line.bin}
                      </div>
                    </div>
                    <div className={`qm-pick-step${current.binConfirmed ? ' qm-pick-step-active' : ''}`}>
                      <Box variant="small" color="text-body-secondary">
                        2. Take
                      </Box>
                      <div className="qm-pick-big" data-testid="pick-sku">
                        {line.sku}
                      </div>
                      {line.name && <Box color="text-body-secondary">{line.name}</Box>}
                    </div>
                    <div className="qm-pick-step">
                      <ProgressBar
                        value={(current.picked / line.quantity) * 100}
                        label="Picked"
                        description={`${current.picked} of ${line.quantity}`}
                        data-testid="pick-progress"
                      />
                    </div>
                  </div>
                )
              )}

              <form onSubmit={submit} className="qm-scan-field" aria-label="Scan">
                <Input
                  ref={inputRef}
                  value={code}
                  onChange={({ detail }) => setCode(detail.value)}
                  onBlur={refocus}
                  placeholder={
                    complete
                      ? 'Pick complete'
                      : current?.binConfirmed
                        ? `Scan ${line?.sku}`
                        : `Scan bin ${line?.bin ?? ''}`
                  }
                  ariaLabel="Scan field"
                  autoComplete={false}
                  spellcheck={false}
                  disabled={complete}
                  data-testid="scan-input"
                />
              </form>

              {feedback && (
                <div data-testid="scan-feedback" data-kind={feedback.kind}>
                  <Alert type={feedback.kind === 'error' ? 'error' : 'success'}>
                    <span className="qm-scan-message">{feedback.message}</span>
                  </Alert>
                </div>
              )}
              <LiveRegion hidden>{feedback ? `${feedback.message} ` : ''}</LiveRegion>

              {!complete && (
                <div className="qm-big-buttons">
                  <SpaceBetween direction="horizontal" size="s">
                    <Button
                      onClick={() => {
                        dialogOpen.current = true;
                        setConfirmShort(true);
                      }}
                      data-testid="short-pick"
                    >
                      Short pick
                    </Button>
                    <Button
                      onClick={() => dispatch({ type: 'undo' })}
                      disabled={state.history.length === 0}
                      data-testid="undo-scan"
                    >
                      Undo last scan
                    </Button>
                  </SpaceBetween>
                </div>
              )}
            </SpaceBetween>
          </Container>
        </div>

        {/* A plain table: Cloudscape's Table (sorting, selection, sticky header) would add 32 kB to the handheld's first load. */}
        <Container header={<Header variant="h3">Pick list</Header>}>
          <table className="qm-pick-list" data-testid="pick-list">
            <thead>
              <tr>
                <th scope="col">Bin</th>
                <th scope="col">SKU</th>
                <th scope="col">Picked</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l, i) => {
                const s = state.lines[i]!;
                return (
                  <tr key={l.lineId}>
                    <th scope="row">{l.bin}</th>
                    <td>{l.sku}</td>
                    <td>{`${s.picked} / ${l.quantity}${s.short ? ` (${s.short} short)` : ''}`}</td>
                    <td>
                      {isDone(l, s) ? (
                        <StatusIndicator type={s.short ? 'warning' : 'success'}>
                          {s.short ? 'Short' : 'Done'}
                        </StatusIndicator>
                      ) : i === state.index ? (
                        <StatusIndicator type="in-progress">Now</StatusIndicator>
                      ) : (
                        <StatusIndicator type="pending">To do</StatusIndicator>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Container>
      </SpaceBetween>

      {confirmShort && line && current && (
        <Suspense fallback={null}>
          <Modal
            visible
            onDismiss={closeDialog}
            closeAriaLabel="Close"
            header="Confirm short pick"
            footer={
              <Box float="right">
                <div className="qm-big-buttons">
                  <SpaceBetween direction="horizontal" size="s">
                    <Button onClick={closeDialog}>Keep picking</Button>
                    <Button
                      variant="primary"
                      data-testid="confirm-short"
                      onClick={() => {
                        dispatch({ type: 'short' });
                        closeDialog();
                      }}
                    >
                      Confirm short
                    </Button>
                  </SpaceBetween>
                </div>
              </Box>
            }
          >
            Bin {line.bin} has only {current.picked} of {line.quantity} × {line.sku}. The missing{' '}
            {line.quantity - current.picked} will be reported short.
          </Modal>
        </Suspense>
      )}
    </div>
  );
}
