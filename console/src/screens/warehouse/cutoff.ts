import { useEffect, useState } from 'react';

/** Now, refreshed every `everyMs` (30 s by default): enough for countdowns in whole minutes. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Whole minutes until the cutoff (negative once it passed). */
export function minutesLeft(cutoffAt: string, now: number): number {
  return Math.floor((Date.parse(cutoffAt) - now) / 60_000);
}

/** "42 min", "3 h 05 min", "12 min ago". */
function formatMinutes(minutes: number): string {
  if (minutes < 0) return `${-minutes} min ago`;
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** "cutoff in 42 min" or "cutoff passed 12 min ago". */
export const cutoffIn = (minutes: number): string =>
  minutes < 0 ? `cutoff passed ${formatMinutes(minutes)}` : `cutoff in ${formatMinutes(minutes)}`;
