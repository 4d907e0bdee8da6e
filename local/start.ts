import { MANIFEST } from '../lib/manifest/index.ts';
import { startRuntime } from './runtime.ts';

/** `npm start`: the whole ERP on this machine. Ctrl-C stops it cleanly; data stays in QM_DATA_DIR. */
const started = Date.now();
const runtime = await startRuntime();
const { config } = runtime;
console.log(`Quartermaster is running (local) — ready in ${((Date.now() - started) / 1000).toFixed(1)} s

  Console + API    ${runtime.url}            (${MANIFEST.routes.length} routes; health at ${runtime.url}/health)
  Sign in          npm run --silent token -- <role>   → bearer token (roles: admin, supervisor, ...)
  DynamoDB Local   http://127.0.0.1:${config.ddbPort}       table ${config.tableName}
  Local S3         http://127.0.0.1:${config.s3Port}       bucket ${config.exportsBucket}
  Event bus        ${config.busName}: ${MANIFEST.rules.length} rules; POST ${runtime.url}/local/events to put events
  Workflows        ${MANIFEST.stateMachines.length} state machines (aws-local-stepfunctions)
  Schedules        ${MANIFEST.schedules.length}; stream consumers ${MANIFEST.streams.length}
  Data             ${config.dataDir}

Press Ctrl-C to stop.`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  await runtime.stop();
  console.log('Stopped. Data kept in', config.dataDir);
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
