/**
 * Audible and haptic feedback for scanning: a short high beep for a good scan, a low double buzz
 * for a wrong one, so a picker knows without looking at the screen. Web Audio needs no sound
 * files; browsers let it play once the page has had a user gesture (a key press from a
 * keyboard-wedge scanner counts).
 */
export type Feedback = 'ok' | 'error' | 'done';

let context: AudioContext | undefined;

function audio(): AudioContext | undefined {
  const Ctor =
    window.AudioContext ??
    (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return undefined;
  context ??= new Ctor();
  if (context.state === 'suspended') void context.resume().catch(() => {});
  return context;
}

const TONES: Record<Feedback, { type: OscillatorType; notes: { hz: number; ms: number }[] }> = {
  ok: { type: 'sine', notes: [{ hz: 1320, ms: 70 }] },
  error: {
    type: 'square',
    notes: [
      { hz: 196, ms: 140 },
      { hz: 0, ms: 60 },
      { hz: 196, ms: 220 },
    ],
  },
  done: {
    type: 'sine',
    notes: [
      { hz: 988, ms: 90 },
      { hz: 1319, ms: 160 },
    ],
  },
};

const VIBRATION: Record<Feedback, number[]> = { ok: [30], error: [120, 60, 120], done: [40, 40, 80] };

export function playTone(kind: Feedback): void {
  try {
    const ctx = audio();
    if (!ctx) return;
    let at = ctx.currentTime;
    for (const note of TONES[kind].notes) {
      const seconds = note.ms / 1000;
      if (note.hz > 0) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = TONES[kind].type;
        osc.frequency.value = note.hz;
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.25, at + 0.01);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + seconds);
        osc.connect(gain).connect(ctx.destination);
        osc.start(at);
        osc.stop(at + seconds + 0.02);
      }
      at += seconds;
    }
  } catch {
    // No audio device: the visual feedback still shows.
  }
}

export function vibrate(kind: Feedback): void {
  try {
    navigator.vibrate?.(VIBRATION[kind]);
  } catch {
    // not supported
  }
}

export function signal(kind: Feedback): void {
  playTone(kind);
  vibrate(kind);
}
