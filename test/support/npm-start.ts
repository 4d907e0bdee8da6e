import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** `npm start` as a user runs it, with the given environment; resolves once /health is 200. */
export async function npmStart(env: Record<string, string>, timeoutMs = 90_000) {
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  // npm's own exit may come by signal; what matters is that the runtime under it shut down cleanly.
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const started = Date.now();
  const url = `http://127.0.0.1:${env.PORT}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs) {
      process.kill(-(child.pid as number), 'SIGKILL');
      throw new Error(`/health not 200 after ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    secondsToHealthy: (Date.now() - started) / 1000,
    output: () => output,
    /** Ctrl-C to the whole process group, as a terminal sends it; resolves with what was printed. */
    async interrupt(): Promise<string> {
      process.kill(-(child.pid as number), 'SIGINT');
      const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), 20_000);
      await closed;
      clearTimeout(timer);
      return output;
    },
    /** kill -9 to the whole process group (npm, tsx, the runtime), as a crash or an OOM killer would. */
    async kill(): Promise<void> {
      process.kill(-(child.pid as number), 'SIGKILL');
      await closed;
    },
  };
}

export async function npmToken(env: Record<string, string>, role: string): Promise<string> {
  const { stdout } = await run('npm', ['run', '--silent', 'token', '--', role], {
    cwd: root,
    env: { ...process.env, ...env },
  });
  return stdout.trim();
}
