import { spawn } from 'node:child_process';
import { cp, mkdir, open, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/**
 * Keeps `console/dist` in step with the console's sources for the local runtime and the browser
 * tests. The runtime calls it at start without awaiting it, so `/health` never waits for a
 * build; tests await it before opening a page.
 *
 * - Up to date when `console/dist/index.html` is newer than every input: `console/src`,
 *   `console/public`, `console/index.html`, `console/vite.config.ts`, `lib/manifest` (the
 *   console compiles the route table into its bundle) and `package-lock.json`.
 * - Otherwise Vite builds into a scratch directory under `node_modules/.cache`, which then
 *   replaces `console/dist` by rename, so the runtime never serves a half-written build.
 * - Vite runs in a child process: a build takes both cores for a while, and in the runtime's
 *   own thread it would hold every API request and a Ctrl-C behind it. `signal` stops it.
 * - Text assets get `.br` and `.gz` siblings at their best compression, so the local server
 *   sends them compressed without spending CPU per request.
 * - One build at a time: concurrent callers in this process share the build in flight; other
 *   processes (a second runtime, a test run) wait on a lock file and re-check afterwards.
 */
export interface ConsoleBuildOptions {
  /** The repository root. */
  root: string;
  /** Progress lines ("building…", "built in 2.1 s"). @default silent */
  log?: (message: string) => void;
  /** Build even when up to date. @default false */
  force?: boolean;
  /** Aborting stops a build in progress (the runtime stopping); the build then rejects. */
  signal?: AbortSignal;
}

export interface ConsoleBuildResult {
  built: boolean;
  /** Why it built, or why it did not. */
  reason: string;
  durationMs: number;
  outDir: string;
}

const INPUTS = [
  'console/src',
  'console/public',
  'console/index.html',
  'console/vite.config.ts',
  'lib/manifest',
  'package-lock.json',
];
const LOCK_STALE_MS = 5 * 60_000;

let inFlight: Promise<ConsoleBuildResult> | undefined;

export function ensureConsoleBuilt(options: ConsoleBuildOptions): Promise<ConsoleBuildResult> {
  inFlight ??= buildIfStale(options).finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

async function newestMtime(target: string): Promise<{ mtimeMs: number; file: string }> {
  let newest = { mtimeMs: 0, file: '' };
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(target);
  } catch {
    return newest;
  }
  if (!info.isDirectory()) return { mtimeMs: info.mtimeMs, file: target };
  for (const entry of await readdir(target, { withFileTypes: true })) {
    const candidate = await newestMtime(path.join(target, entry.name));
    if (candidate.mtimeMs > newest.mtimeMs) newest = candidate;
  }
  return newest;
}

/** Why `console/dist` needs a build, or undefined when it is up to date. */
export async function staleReason(root: string): Promise<string | undefined> {
  const index = path.join(root, 'console', 'dist', 'index.html');
  const built = await stat(index).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
  if (built === undefined) return 'console/dist/index.html is missing';
  for (const input of INPUTS) {
    const newest = await newestMtime(path.join(root, input));
    if (newest.mtimeMs > built) return `${path.relative(root, newest.file)} changed since the last build`;
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the cross-process build lock; waits while a live process holds it. */
async function acquireLock(lockFile: string, log: (m: string) => void): Promise<() => Promise<void>> {
  let waited = false;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const [holder, age] = await Promise.all([
      readFile(lockFile, 'utf8').then(Number, () => Number.NaN),
      stat(lockFile).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      ),
    ]);
    if (!Number.isInteger(holder) || !isAlive(holder) || age > LOCK_STALE_MS) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (!waited) log(`console: waiting for the build of process ${holder}`);
    waited = true;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function buildIfStale({
  root,
  log = () => {},
  force = false,
  signal,
}: ConsoleBuildOptions): Promise<ConsoleBuildResult> {
  const started = Date.now();
  const outDir = path.join(root, 'console', 'dist');
  const result = (built: boolean, reason: string): ConsoleBuildResult => ({
    built,
    reason,
    durationMs: Date.now() - started,
    outDir,
  });

  if (!force && !(await staleReason(root))) return result(false, 'up to date');

  const cacheDir = path.join(root, 'node_modules', '.cache', 'qm-console');
  await mkdir(cacheDir, { recursive: true });
  const release = await acquireLock(path.join(cacheDir, 'build.lock'), log);
  try {
    // Another process may have built while this one waited.
    const reason = force ? 'forced' : await staleReason(root);
    if (!reason) return result(false, 'built by another process');
    log(`console: building (${reason})…`);
    // Holding the lock, any scratch left here is from a build that was killed: clear it.
    for (const entry of await readdir(cacheDir)) {
      if (/^(build|previous)-\d+-\d+$/.test(entry))
        await rm(path.join(cacheDir, entry), { recursive: true, force: true });
    }

    const scratch = path.join(cacheDir, `build-${process.pid}-${Date.now()}`);
    // Inputs changed while Vite runs must trigger the next build: date the output at the start.
    const startedAt = new Date();
    try {
      await viteBuild(root, scratch, signal);
    } catch (error) {
      await rm(scratch, { recursive: true, force: true });
      throw error;
    }
    await precompress(scratch);
    await utimes(path.join(scratch, 'index.html'), startedAt, startedAt);

    const previous = path.join(cacheDir, `previous-${process.pid}-${Date.now()}`);
    await rename(outDir, previous).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code === 'EXDEV') await rm(outDir, { recursive: true, force: true });
      else if (error.code !== 'ENOENT') throw error;
    });
    await rename(scratch, outDir).catch(async (error: NodeJS.ErrnoException) => {
      // node_modules on another file system than the repository: copy instead.
      if (error.code !== 'EXDEV') throw error;
      await cp(scratch, outDir, { recursive: true });
      await rm(scratch, { recursive: true, force: true });
    });
    await rm(previous, { recursive: true, force: true });
    const done = result(true, reason);
    log(`console: built in ${(done.durationMs / 1000).toFixed(1)} s`);
    return done;
  } finally {
    await release();
  }
}

/** `vite build` of the console into `outDir`, as its own process; rejects with what it printed. */
function viteBuild(root: string, outDir: string, signal: AbortSignal | undefined): Promise<void> {
  const args = [
    path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
    'build',
    '--config',
    path.join(root, 'console', 'vite.config.ts'),
    '--outDir',
    outDir,
    '--emptyOutDir',
    '--logLevel',
    'error',
    '--mode',
    'production',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(signal ? { signal } : {}),
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-10_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code, killedBy) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(`vite build ${killedBy ? `stopped by ${killedBy}` : `exited with ${code}`}\n${output}`),
        );
    });
  });
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const PRECOMPRESSED = /\.(js|css|html|svg|json)$/;

/** Writes `<file>.br` and `<file>.gz` next to every text asset of a build (brotli 11, gzip 9). */
async function precompress(dir: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && PRECOMPRESSED.test(e.name));
  await Promise.all(
    files.map(async (entry) => {
      const file = path.join(entry.parentPath, entry.name);
      const raw = await readFile(file);
      const [br, gz] = await Promise.all([
        brotli(raw, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        }),
        gzip(raw, { level: 9 }),
      ]);
      await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
    }),
  );
}
