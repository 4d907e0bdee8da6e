import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Lowers the CPU priority of the thread that calls it by `steps` (added to its nice value, at
 * most 19; 0 or less: no change).
 *
 * On Linux a thread is a task with its own id, and setpriority on that id moves that thread
 * alone (`/proc/thread-self` names it), so the background worker can yield to the API's thread
 * in the same process. Raising a priority back needs privileges, so this only ever lowers it.
 * Elsewhere (macOS, Windows) there is no per-thread nice, and nothing changes.
 */
export function lowerThisThreadPriority(steps: number): void {
  if (!(steps > 0) || process.platform !== 'linux') return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid)) setPriority(tid, Math.min(19, getPriority(tid) + Math.floor(steps)));
  } catch {
    // A container without /proc, or a seccomp profile that refuses setpriority: run as is.
  }
}
