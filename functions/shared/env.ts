/**
 * Reads a required environment variable. Called at module scope so a misconfigured
 * function fails at cold start, not on the first request that happens to need it.
 */
export function getEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
}

export function getOptionalEnv(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Environment variable names shared by the deployer, the local runtime and the handlers. */
export const ENV = {
  tableName: 'QM_TABLE_NAME',
  busName: 'QM_BUS_NAME',
  exportsBucket: 'QM_EXPORTS_BUCKET',
  stage: 'QM_STAGE',
  /** Local mode: endpoint of the local AWS emulation (EventBridge, Step Functions). */
  awsEndpoint: 'QM_AWS_ENDPOINT',
  ddbEndpoint: 'QM_DDB_ENDPOINT',
  s3Endpoint: 'QM_S3_ENDPOINT',
  secretsDir: 'QM_SECRETS_DIR',
  secretsPrefix: 'QM_SECRETS_PREFIX',
  /** JSON object: state machine name → ARN (health check). */
  stateMachineArns: 'QM_STATE_MACHINE_ARNS',
  /** JSON object: route key (`POST /api/…`) → the roles it allows, or `"public"`; read by the HTTP wrapper. */
  routeRoles: 'QM_ROUTE_ROLES',
  /** Optional: a lower claim-check threshold for event details, in bytes (tests exercise S3 with it). */
  eventClaimCheckBytes: 'QM_EVENT_CLAIM_CHECK_BYTES',
} as const;

/** Env var a function reads to find a state machine's ARN. */
export const stateMachineArnEnv = (name: string): string =>
  `QM_SM_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_ARN`;
