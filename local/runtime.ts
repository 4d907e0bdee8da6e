import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import S3rver from 's3rver';
import { ENV } from '../functions/shared/env.ts';
import { MANIFEST, routeRolesTable } from '../lib/manifest/index.ts';
import { type Role, type SystemManifest, stateMachineArnEnv } from '../lib/manifest/types.ts';
import { createAwsEmulator } from './aws-emulator.ts';
import { type DeliveryPolicy, LocalBus } from './bus.ts';
import { LOCAL_ACCOUNT, type LocalConfig, localConfig } from './config.ts';
import { ensureConsoleBuilt } from './console-build.ts';
import { ensureTable, startDynamoDbLocal } from './dynamodb.ts';
import { startHttpServer } from './http-server.ts';
import { loadIdentity } from './identity.ts';
import { LocalLambdas } from './lambda.ts';
import { assertPortFree, isLoopbackAddress, reachableHost, urlHost } from './network.ts';
import { startSchedules } from './scheduler.ts';
import { LocalStepFunctions } from './stepfunctions.ts';
import { StreamPoller } from './streams.ts';
import { upgradeLocalData } from './upgrade-data.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface RuntimeOptions extends Partial<LocalConfig> {
  /** Keep DynamoDB in memory (tests). @default false */
  inMemory?: boolean;
  /** Bus retry policy override (tests use short back-offs). */
  busPolicy?: DeliveryPolicy;
  /** Run schedules. @default true */
  schedules?: boolean;
  manifest?: SystemManifest;
  /** Build the console in the background when its sources changed. @default true */
  buildConsole?: boolean;
}

export interface LocalRuntime {
  url: string;
  config: LocalConfig;
  bus: LocalBus;
  sfn: LocalStepFunctions;
  lambdas: LocalLambdas;
  /** DynamoDB Local's process id (benchmarks read its threads' CPU use). */
  dynamoDbPid: number;
  token(role: Role, username?: string): Promise<string>;
  /** Resolves when the console build (if one was needed) has finished. */
  consoleReady: Promise<void>;
  /** Waits until bus deliveries, workflows and stream consumers have nothing in progress. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the whole system on this machine: DynamoDB Local, s3rver, the local bus, local Step
 * Functions, stream consumers, schedules, and the HTTP gateway serving the manifest's routes
 * (and the console) on one port.
 */
export async function startRuntime(options: RuntimeOptions = {}): Promise<LocalRuntime> {
  const config: LocalConfig = { ...localConfig(), ...stripUndefined(options) };
  const manifest = options.manifest ?? MANIFEST;
  await mkdir(config.dataDir, { recursive: true });
  const stops: (() => Promise<void> | void)[] = [];
  // A stop first ends a console build in progress (a fresh clone's first start builds it).
  const consoleBuild = new AbortController();
  const stopAll = async () => {
    consoleBuild.abort();
    for (const stop of stops.reverse()) await stop();
  };

  if (!isLoopbackAddress(config.bindHost)) {
    console.warn(
      `WARNING: QM_BIND=${config.bindHost}: the gateway, DynamoDB Local and local S3 are reachable from the network, not only from this machine. The /local/* endpoints (token issuing, event injection) and the emulated AWS APIs still answer loopback callers only.`,
    );
  }
  // Every port checked before anything starts: a taken one fails at once, with its name.
  const host = reachableHost(config.bindHost);
  await assertPortFree(config.port, config.bindHost, 'the gateway', 'PORT');
  await assertPortFree(config.s3Port, config.bindHost, 'local S3 (s3rver)', 'QM_S3_PORT');

  try {
    const ddb = await startDynamoDbLocal({
      port: config.ddbPort,
      host: config.bindHost,
      dataDir: config.dataDir,
      inMemory: options.inMemory,
    });
    stops.push(() => ddb.stop());
    const awsCreds = { accessKeyId: 'local', secretAccessKey: 'local' };
    const ddbClient = new DynamoDBClient({
      endpoint: ddb.endpoint,
      region: config.region,
      credentials: awsCreds,
    });
    stops.push(() => ddbClient.destroy());
    await ensureTable(ddbClient, config.tableName);
    await upgradeLocalData(DynamoDBDocumentClient.from(ddbClient), config.tableName);

    const s3dir = path.join(config.dataDir, 's3');
    await mkdir(s3dir, { recursive: true });
    const s3 = new S3rver({
      port: config.s3Port,
      address: config.bindHost,
      directory: s3dir,
      silent: true,
      configureBuckets: [{ name: config.exportsBucket }],
    });
    await s3.run();
    stops.push(() => s3.close());

    const identity = await loadIdentity(config.dataDir, config.port);
    // 127.0.0.1, not localhost: Node may resolve localhost to ::1 first, where nothing listens.
    const url = `http://${urlHost(isLoopbackAddress(host) ? host : '127.0.0.1')}:${config.port}`;

    const lambdas = new LocalLambdas(manifest, REPO_ROOT, {
      backgroundConcurrency: config.backgroundConcurrency,
      backgroundMinWhileBusy: config.backgroundMinWhileBusy,
      orderFlowWhileBusy: config.backgroundOrderFlowWhileBusy,
      backgroundWorker: config.backgroundWorker,
      backgroundNice: config.backgroundNice,
    });
    // Stopped last (stops run in reverse): pollers and workflows may still await an invocation.
    stops.push(() => lambdas.stop());
    const sfn = new LocalStepFunctions(
      manifest.stateMachines,
      (fn, payload) => lambdas.invokeInBackground(fn, payload),
      {
        root: REPO_ROOT,
        region: config.region,
        account: LOCAL_ACCOUNT,
      },
    );
    stops.push(() => sfn.stop());

    // The environment every handler reads at cold start, as the deployer sets it on AWS.
    Object.assign(process.env, {
      [ENV.tableName]: config.tableName,
      [ENV.busName]: config.busName,
      [ENV.exportsBucket]: config.exportsBucket,
      [ENV.stage]: 'local',
      // The emulated AWS APIs answer loopback callers only (the gateway always listens there).
      [ENV.awsEndpoint]: url,
      [ENV.ddbEndpoint]: ddb.endpoint,
      [ENV.s3Endpoint]: `http://${urlHost(host)}:${config.s3Port}`,
      [ENV.secretsDir]: path.join(config.dataDir, 'secrets'),
      [ENV.stateMachineArns]: JSON.stringify(sfn.arns()),
      [ENV.routeRoles]: JSON.stringify(routeRolesTable(manifest.routes)),
      ...Object.fromEntries(
        manifest.stateMachines.map((m) => [stateMachineArnEnv(m.name), sfn.arnOf(m.name)]),
      ),
      AWS_REGION: config.region,
      AWS_ACCESS_KEY_ID: awsCreds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: awsCreds.secretAccessKey,
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      POWERTOOLS_DEV: 'true',
    });

    const busArn = `arn:aws:events:${config.region}:${LOCAL_ACCOUNT}:event-bus/${config.busName}`;
    const bus = new LocalBus(
      manifest.rules,
      async (target, event) => {
        // A batching target's answer (`batchItemFailures`) tells the bus which messages to retry.
        if ('fn' in target) return lambdas.invokeInBackground(target.fn, event);
        sfn.startExecution(sfn.arnOf(target.stateMachine), JSON.stringify(event));
        return undefined;
      },
      {
        busName: config.busName,
        region: config.region,
        account: LOCAL_ACCOUNT,
        dataDir: config.dataDir,
        ...(options.busPolicy ? { policy: options.busPolicy } : {}),
      },
    );
    stops.push(() => bus.drain());
    const emulate = createAwsEmulator({ bus, sfn, busName: config.busName, busArn });
    lambdas.answerAwsCalls(emulate);

    const consoleDir = path.join(REPO_ROOT, 'console', 'dist');
    // Not awaited: /health and the API never wait for the console's build.
    const consoleReady =
      options.buildConsole === false
        ? Promise.resolve()
        : ensureConsoleBuilt({
            root: REPO_ROOT,
            log: (m) => console.log(`[console] ${m}`),
            signal: consoleBuild.signal,
          }).then(
            () => undefined,
            (e: Error) => {
              if (!consoleBuild.signal.aborted) console.error('[console] build failed:', e.message);
            },
          );

    let pollerRef: StreamPoller | undefined;
    const server = await startHttpServer({
      port: config.port,
      host: config.bindHost,
      routes: manifest.routes,
      consoleDir,
      identity,
      lambdas,
      bus,
      sfn,
      emulate,
      streamFailures: () => pollerRef?.failures ?? [],
    });
    stops.push(() => server.close());

    const poller = StreamPoller.create(
      ddbClient,
      ddb.endpoint,
      config.tableName,
      manifest.streams,
      (fn, e) => lambdas.invokeInBackground(fn, e, { fromStream: true }),
      config.region,
      // Checkpoints (a restart resumes where each consumer was) and records given up on.
      { stateDir: path.join(config.dataDir, 'streams') },
    );
    pollerRef = poller;
    await poller.start();
    stops.push(() => poller.stop());

    if (options.schedules !== false) {
      const schedules = startSchedules(manifest.schedules, async (s) => {
        await lambdas.invokeInBackground(s.fn, {
          scheduleName: s.name,
          scheduledAt: new Date().toISOString(),
        });
      });
      stops.push(() => schedules.stop());
    }

    return {
      url,
      config,
      consoleReady,
      bus,
      sfn,
      lambdas,
      dynamoDbPid: ddb.pid,
      token: (role, username) => identity.sign({ role, ...(username ? { username } : {}) }),
      async settle() {
        for (let quiet = 0; quiet < 3; ) {
          await bus.drain();
          await sfn.settle();
          await new Promise((r) => setTimeout(r, 60));
          quiet = poller.isIdle() ? quiet + 1 : 0;
        }
        await bus.drain();
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
