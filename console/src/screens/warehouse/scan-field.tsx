import {
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import { type Feedback, signal } from '../../app/feedback.ts';
import '../../components/plain.css';
import './scan.css';

export interface ScanOutcome {
  kind: Feedback;
  message: string;
  /** The API's error code for a refused scan (WRONG_BIN, EXTRA_UNIT...). */
  code?: string;
  /** Increments on every outcome so the same message twice still flashes and is announced. */
  seq: number;
}

/** The last scan's outcome and a setter that also beeps (good) or buzzes (refused). */
export function useScanOutcome() {
  const [last, setLast] = useState<ScanOutcome | null>(null);
  const show = useCallback((kind: Feedback, message: string, code?: string) => {
    signal(kind);
    setLast((l) => ({ kind, message, ...(code ? { code } : {}), seq: (l?.seq ?? 0) + 1 }));
  }, []);
  return { last, show };
}

/**
 * The one scan input of a scanner screen. Keyboard-wedge scanners type the code and press
 * Enter into whatever has the focus, so while `keepFocus` is on the field takes the focus back
 * after a click elsewhere, when the window regains it and after every scan (a screen turns it off
 * while a dialog or a form needs the keyboard).
 */
export function ScanField(props: {
  onScan: (code: string) => void;
  placeholder: string;
  keepFocus: boolean;
  disabled?: boolean;
  ariaLabel?: string;
  testId?: string;
  /** Keys the screen handles itself while the field has the focus (e.g. F2 for a short pick). */
  onKeyDown?: (event: KeyboardEvent<HTMLInputElement>) => void;
  /**
   * Let other fields and buttons of the screen keep the focus when the user moves to them (a
   * desk pack station has forms); only a click on nothing focusable brings it back.
   */
  yieldToControls?: boolean;
}) {
  const [code, setCode] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const keep = useRef(props.keepFocus);
  keep.current = props.keepFocus;
  const yieldToControls = useRef(props.yieldToControls ?? false);
  yieldToControls.current = props.yieldToControls ?? false;

  const refocus = useCallback(() => {
    if (!keep.current) return;
    // After the blur has finished (a click elsewhere), take the focus back.
    setTimeout(() => {
      const active = document.activeElement;
      const elsewhere = active && active !== document.body;
      if (keep.current && !(yieldToControls.current && elsewhere)) inputRef.current?.focus();
    }, 0);
  }, []);

  useEffect(() => {
    if (props.keepFocus) refocus();
  }, [props.keepFocus, refocus]);

  useEffect(() => {
    const onVisible = () => document.visibilityState === 'visible' && refocus();
    window.addEventListener('focus', refocus);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('focus', refocus);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [refocus]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const scanned = code.trim();
    setCode('');
    if (scanned) props.onScan(scanned);
    refocus();
  };

  // A native input (not Cloudscape's): the scan field is what a handheld needs first, and it is
  // usable as soon as this small chunk runs. The wrapper carries the test id, as Cloudscape's did.
  return (
    <form onSubmit={submit} className="qm-scan-field" aria-label="Scan">
      <span data-testid={props.testId ?? 'scan-input'}>
        <input
          ref={inputRef}
          className="qm-input qm-scan-input"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          onBlur={refocus}
          onKeyDown={props.onKeyDown}
          placeholder={props.placeholder}
          aria-label={props.ariaLabel ?? 'Scan field'}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          enterKeyHint="send"
          disabled={props.disabled ?? false}
        />
      </span>
    </form>
  );
}

/** Wraps a scan panel: a red ring flashes on a refused scan, a green one on a good scan. */
export function ScanPanel(props: { last: ScanOutcome | null; children: ReactNode }) {
  const { last } = props;
  return (
    <div className="qm-scan-panel" data-scan-state={last?.kind ?? 'idle'}>
      {/* Re-keyed per scan so the flash restarts; the panel itself never remounts (it holds the focus). */}
      {last && (
        <div
          key={last.seq}
          className={last.kind === 'error' ? 'qm-scan-flash' : 'qm-scan-flash-ok'}
          aria-hidden="true"
        />
      )}
      {props.children}
    </div>
  );
}

/** The last scan's message, big: errors in red with the API's code, good scans in green. */
export function ScanMessage(props: { last: ScanOutcome | null }) {
  const { last } = props;
  return (
    <>
      {last && (
        <div
          className={`qm-notice ${last.kind === 'error' ? 'qm-notice-error' : 'qm-notice-success'}`}
          data-testid="scan-feedback"
          data-kind={last.kind}
          data-code={last.code ?? ''}
        >
          <span className={last.kind === 'error' ? 'qm-scan-big-message' : 'qm-scan-message'}>
            {last.message}
          </span>
        </div>
      )}
      {/* Screen readers hear every outcome, the same message twice included (seq changes the key). */}
      <div className="qm-visually-hidden" aria-live={last?.kind === 'error' ? 'assertive' : 'polite'}>
        {last && <span key={last.seq}>{last.message}</span>}
      </div>
    </>
  );
}

const norm = (code: string) => code.trim().toUpperCase();
/** Scanned codes compare without case or surrounding spaces (labels print in upper case). */
export const sameCode = (a: string, b: string) => norm(a) === norm(b);
