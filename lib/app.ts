import { type App, Tags } from 'aws-cdk-lib';
import { QmMonitoringStack } from './monitoring-stack.ts';
import { QmStatefulStack } from './stateful-stack.ts';
import { QmStatelessStack, type QmStatelessStackProps } from './stateless-stack.ts';

export interface QuartermasterStacks {
  readonly stage: string;
  readonly stateful: QmStatefulStack;
  readonly stateless: QmStatelessStack;
  readonly monitoring: QmMonitoringStack;
}

/** Options the tests use; `cdk synth` takes the defaults. */
export type QuartermasterOptions = Pick<QmStatelessStackProps, 'manifest' | 'rootDir'>;

const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;

/**
 * Adds the three stacks for the stage named by the `stage` context value (default `dev`). The stacks
 * are environment-agnostic and do no lookups, so synth runs offline.
 */
export function addQuartermasterStacks(app: App, options: QuartermasterOptions = {}): QuartermasterStacks {
  const stage: unknown = app.node.tryGetContext('stage') ?? 'dev';
  if (typeof stage !== 'string' || !STAGE_PATTERN.test(stage)) {
    throw new Error(`Context "stage" must match ${STAGE_PATTERN}, got ${JSON.stringify(stage)}`);
  }
  const prefix = `Quartermaster-${stage}`;
  const stateful = new QmStatefulStack(app, `${prefix}-Stateful`, {
    stage,
    description: `Quartermaster ${stage}: table, event bus, exports bucket, user pool (retained on delete)`,
  });
  const stateless = new QmStatelessStack(app, `${prefix}-Stateless`, {
    stage,
    description: `Quartermaster ${stage}: HTTP API, workflows, rules, schedules, a nested stack of functions per context (from the manifest)`,
    table: stateful.table,
    bus: stateful.bus,
    exportsBucket: stateful.exportsBucket,
    exportsBucketAccess: stateful.exportsBucketAccess,
    userPool: stateful.userPool,
    consoleClient: stateful.consoleClient,
    ...options,
  });
  // Last: it alarms on every dead-letter queue the other two created.
  const monitoring = new QmMonitoringStack(app, `${prefix}-Monitoring`, {
    stage,
    description: `Quartermaster ${stage}: alarm topic, alarms, inventory mismatch notices, dashboard`,
    bus: stateful.bus,
    stateless,
  });
  for (const stack of [stateful, stateless, monitoring]) {
    Tags.of(stack).add('qm:app', 'quartermaster');
    Tags.of(stack).add('qm:stage', stage);
  }
  return { stage, stateful, stateless, monitoring };
}
