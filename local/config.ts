import path from 'node:path';

/** Where and on which ports the local runtime lives; every value can be overridden by env. */
export interface LocalConfig {
  port: number;
  /**
   * The address every listener binds to (gateway, DynamoDB Local, s3rver): QM_BIND, default
   * 127.0.0.1 so nothing is reachable from the network. `/local/*` and the emulated AWS APIs stay
   * loopback-only whatever this says.
   */
  bindHost: string;
  ddbPort: number;
  s3Port: number;
  dataDir: string;
  region: string;
  stage: 'local';
  tableName: string;
  busName: string;
  exportsBucket: string;
  /** Event-driven Lambda invocations (bus, streams, workflows, schedules) running at once. */
  backgroundConcurrency: number;
  /** How many of them may still run while the API is busy (at most backgroundConcurrency). */
  backgroundMinWhileBusy: number;
  /** How many order-flow invocations may run while the API is busy (at most backgroundConcurrency). */
  backgroundOrderFlowWhileBusy: number;
  /** Run them on a worker thread, away from the API's event loop (QM_BACKGROUND_WORKER=0: not). */
  backgroundWorker: boolean;
  /** Steps added to that worker thread's nice value (Linux; 0: as the API's thread). */
  backgroundNice: number;
}

export const LOCAL_ACCOUNT = '000000000000';

export function localConfig(env: NodeJS.ProcessEnv = process.env): LocalConfig {
  const port = Number(env.PORT ?? 3000);
  return {
    port,
    bindHost: env.QM_BIND?.trim() || '127.0.0.1',
    ddbPort: Number(env.QM_DDB_PORT ?? 8000),
    s3Port: Number(env.QM_S3_PORT ?? 4569),
    dataDir: path.resolve(env.QM_DATA_DIR ?? '.data'),
    region: env.AWS_REGION ?? 'us-east-1',
    stage: 'local',
    tableName: 'quartermaster-local',
    busName: 'qm-erp-local',
    exportsBucket: 'qm-exports-local',
    backgroundConcurrency: Number(env.QM_BACKGROUND_CONCURRENCY ?? 4),
    // 0: API first (measured: with 2, webhook intake p99 at 200/s rose from ~85 ms to ~1.4 s here).
    backgroundMinWhileBusy: Number(env.QM_BACKGROUND_MIN_WHILE_BUSY ?? 0),
    // An order on its way to released keeps four slots while webhooks arrive; the rest waits.
    // Each spends most of its time waiting on DynamoDB Local, so two capped paced release at
    // ~85 orders/s (paced 100/s p50 1.1–2.3 s; with four: 0.13 s, median of three bench runs). The worker's nice keeps them from
    // taking the API's CPU (docs/decisions.md, 2026-12-05).
    backgroundOrderFlowWhileBusy: Number(env.QM_BACKGROUND_ORDER_FLOW_WHILE_BUSY ?? 4),
    backgroundWorker: env.QM_BACKGROUND_WORKER !== '0',
    // 8 since the worker answers PutEvents itself: its releases no longer wait on the main thread
    // and take more CPU beside the API (docs/decisions.md, 2026-12-06, the outbox entry).
    backgroundNice: Number(env.QM_BACKGROUND_NICE ?? 8),
  };
}

/** JWT issuer/audience of the local identity provider (the Cognito user pool's stand-in). */
export const localIssuer = (port: number) => `http://localhost:${port}/local/auth`;
export const LOCAL_AUDIENCE = 'qm-console-local';
