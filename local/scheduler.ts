import type { ScheduleSpec } from '../lib/manifest/types.ts';

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** `rate(5 minutes)` → 300000; undefined for expressions that are not rates. */
export function rateMs(expression: string): number | undefined {
  const m = expression.match(/^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/);
  if (!m) return undefined;
  return Number(m[1]) * (UNIT_MS[(m[2] as string).replace(/s$/, '')] as number);
}

function fieldMatches(field: string, value: number): boolean {
  if (field === '*' || field === '?') return true;
  return field.split(',').some((part) => {
    const step = part.match(/^(\*|\d+)\/(\d+)$/);
    if (step) return (value - (step[1] === '*' ? 0 : Number(step[1]))) % Number(step[2]) === 0;
    const range = part.match(/^(\d+)-(\d+)$/);
    if (range) return value >= Number(range[1]) && value <= Number(range[2]);
    return Number(part) === value;
  });
}

/** EventBridge cron (minutes hours day-of-month month day-of-week year), evaluated in UTC. */
export function cronMatches(expression: string, at: Date): boolean {
  const m = expression.match(/^cron\((.+)\)$/);
  if (!m?.[1]) return false;
  const [min, hour, dom, mon, dow] = m[1].trim().split(/\s+/);
  return (
    fieldMatches(min ?? '*', at.getUTCMinutes()) &&
    fieldMatches(hour ?? '*', at.getUTCHours()) &&
    fieldMatches(dom ?? '*', at.getUTCDate()) &&
    fieldMatches(mon ?? '*', at.getUTCMonth() + 1) &&
    fieldMatches(dow ?? '*', at.getUTCDay() + 1)
  );
}

/** Fires the manifest's schedules in-process, with the payload EventBridge Scheduler sends. */
export function startSchedules(schedules: readonly ScheduleSpec[], fire: (s: ScheduleSpec) => Promise<void>) {
  const timers: NodeJS.Timeout[] = [];
  const run = (s: ScheduleSpec) =>
    fire(s).catch((error) => console.error(`[schedule] ${s.name} failed`, error));
  const cron = schedules.filter((s) => !rateMs(s.expression));
  for (const s of schedules) {
    const every = rateMs(s.expression);
    if (every) timers.push(setInterval(() => void run(s), every));
  }
  if (cron.length) {
    timers.push(
      setInterval(() => {
        const now = new Date();
        if (now.getUTCSeconds() !== 0) return;
        for (const s of cron) if (cronMatches(s.expression, now)) void run(s);
      }, 1000),
    );
  }
  for (const t of timers) t.unref();
  return { stop: () => timers.forEach(clearInterval) };
}
