import { MANIFEST } from '../lib/manifest/index.ts';
import { reachableHost, urlHost } from './network.ts';
import { type LocalRuntime, startRuntime } from './runtime.ts';

/** `npm start`: the whole ERP on this machine. Ctrl-C stops it cleanly; data stays in QM_DATA_DIR. */
const started = Date.now();

/** A stop that hangs (a stuck child) must not keep the terminal: give up after this long. */
const STOP_DEADLINE_MS = 30_000;
let runtime: LocalRuntime | undefined;
let stopRequested = false;

async function stopAndExit(): Promise<never> {
  setTimeout(() => {
    console.error(`Could not stop within ${STOP_DEADLINE_MS / 1000} s; exiting anyway.`);
    process.exit(1);
  }, STOP_DEADLINE_MS).unref();
  try {
    await runtime?.stop();
  } catch (error) {
    console.error('Stopping failed:', (error as Error).message);
    process.exit(1);
  }
  console.log('Stopped. Data kept in', runtime?.config.dataDir);
  process.exit(0);
}

// Installed before start-up: Ctrl-C while it runs stops everything started once it is done,
// instead of killing this process and leaving DynamoDB Local to its watchdog.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    // npm and tsx pass the terminal's Ctrl-C on too, so one press can arrive more than once.
    if (stopRequested) return;
    stopRequested = true;
    console.log(`\n${signal}: stopping…`);
    if (runtime) void stopAndExit();
  });
}

try {
  runtime = await startRuntime();
} catch (error) {
  // Start-up already stopped whatever it had started; a taken port or a missing Java reads plainly.
  console.error(`Quartermaster could not start: ${(error as Error).message}`);
  process.exit(1);
}
if (stopRequested) await stopAndExit();

const { config } = runtime;
const host = urlHost(reachableHost(config.bindHost));
console.log(`Quartermaster is running (local) — ready in ${((Date.now() - started) / 1000).toFixed(1)} s

  Console + API    ${runtime.url}            (${MANIFEST.routes.length} routes; health at ${runtime.url}/health)
  Sign in          npm run --silent token -- <role>   → bearer token (roles: admin, supervisor, ...)
  DynamoDB Local   http://${host}:${config.ddbPort}       table ${config.tableName}
  Local S3         http://${host}:${config.s3Port}       bucket ${config.exportsBucket}
  Event bus        ${config.busName}: ${MANIFEST.rules.length} rules; POST ${runtime.url}/local/events to put events
  Workflows        ${MANIFEST.stateMachines.length} state machines (aws-local-stepfunctions)
  Schedules        ${MANIFEST.schedules.length}; stream consumers ${MANIFEST.streams.length}
  Listening on     ${config.bindHost} (QM_BIND)
  Data             ${config.dataDir}

Press Ctrl-C to stop.`);
