import path from 'node:path';
import { Duration, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env.ts';
import { TABLE_DEFINITION } from '../manifest/table.ts';
import { type FunctionSpec, stateMachineArnEnv, type TableAccess } from '../manifest/types.ts';
import { acknowledgeGrantWildcards, acknowledgeWildcardResources } from '../nag.ts';
import { deployedFunctionName } from '../naming.ts';
import { LOCK_FILE, REPO_ROOT } from '../paths.ts';

/** Tag carrying the manifest name of a function; tests and operators map resources back with it. */
export const FUNCTION_TAG = 'qm:function';
/** Tag carrying the bounded context (the folder under `functions/`). */
export const CONTEXT_TAG = 'qm:context';
/** JSON object name → ARN of every state machine, read by the health check (and set by the local runtime). */
export const STATE_MACHINE_ARNS_ENV = ENV.stateMachineArns;

const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
] as const;
const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

/**
 * Lets esbuild's ESM output load CommonJS dependencies that call `require` (the X-Ray SDK
 * behind the Powertools tracer does). The alias avoids clashing with a bundled `createRequire`.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __qmCreateRequire } from 'node:module'; const require = __qmCreateRequire(import.meta.url);";

/** A bucket together with the managed policies its owning stack publishes for it. */
export interface BucketWithAccessPolicies {
  readonly bucket: s3.IBucket;
  /** Object read (`R`) or read + write (`RW`), each including `s3:ListBucket`. */
  readonly accessPolicies: Readonly<Record<'R' | 'RW', iam.IManagedPolicy>>;
}

export interface QmFunctionProps {
  /** Manifest name, e.g. `putSku`. */
  readonly name: string;
  /** The deployment stage; the function is named `qm-<stage>-<name>` (see `deployedFunctionName`). */
  readonly stage: string;
  readonly spec: FunctionSpec;
  /**
   * Directory `spec.entry` is relative to.
   * @default the repository root
   */
  readonly rootDir?: string;
}

/** `functions/<context>/handlers/x.ts` → `<context>`; the context is the Powertools service name. */
export function contextOf(entry: string): string {
  const match = /^functions\/([a-z0-9-]+)\//.exec(entry.split(path.sep).join('/'));
  if (!match?.[1]) throw new Error(`Function entry ${entry} is not under functions/<context>/`);
  return match[1];
}

/**
 * Every Quartermaster Lambda: Node 22 on ARM, X-Ray, a log group kept one month, an ESM bundle
 * built by the local esbuild (no Docker), and a role that starts with nothing but its own log
 * group. Access is added only through the `bind*` helpers, each of which sets the environment
 * variable the handler reads (names from `ENV`) and the matching grant in one call, so a
 * function can never hold a permission without knowing the resource, or the reverse.
 */
export class QmFunction extends NodejsFunction {
  readonly manifestName: string;
  /** The literal deployed name, for metrics built in other stacks (no cross-stack reference). */
  readonly deployedName: string;
  readonly context: string;
  /** The function's own role (never shared), where its grants and their acknowledgements live. */
  readonly executionRole: iam.Role;

  constructor(scope: Construct, id: string, props: QmFunctionProps) {
    const { spec } = props;
    const context = contextOf(spec.entry);
    // Created as siblings because `this` is not usable before super(); named after the function.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.name}; logs to its own group, grants come from the manifest`,
    });
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: logs.RetentionDays.ONE_MONTH,
      // Stateless stack: logs expire after a month anyway; a retained, unnamed group would only leak.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const deployedName = deployedFunctionName(props.stage, props.name);
    super(scope, id, {
      functionName: deployedName,
      entry: path.resolve(props.rootDir ?? REPO_ROOT, spec.entry),
      handler: 'handler',
      description: spec.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      tracing: lambda.Tracing.ACTIVE,
      timeout: Duration.seconds(spec.timeoutSeconds ?? 10),
      memorySize: spec.memoryMb ?? 512,
      role,
      logGroup,
      depsLockFilePath: LOCK_FILE,
      projectRoot: REPO_ROOT,
      environment: {
        POWERTOOLS_SERVICE_NAME: context,
        [ENV.stage]: 'aws',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        banner: ESM_REQUIRE_BANNER,
        forceDockerBundling: false,
      },
    });
    this.manifestName = props.name;
    this.deployedName = deployedName;
    this.context = context;
    this.executionRole = role;
    logGroup.grantWrite(role);
    Tags.of(this).add(FUNCTION_TAG, props.name);
    Tags.of(this).add(CONTEXT_TAG, context);

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x on purpose: the local runtime, the tests and the `node` devDependency run Node 22, so AWS runs what was tested.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only actions without resource-level permissions get `*`: X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) and, on table-stream consumers, dynamodb:ListStreams. Every other grant names its resource.',
    });
  }

  /**
   * Sets `QM_TABLE_NAME` and grants item reads on the table and on each GSI of
   * `TABLE_DEFINITION` by name, and for `RW` item writes on the table. Unlike `grantReadData`, no `index/*` wildcard and
   * no stream actions: a function reads what the table definition declares, nothing more.
   * Transactions need no action of their own; DynamoDB authorizes each item operation in them.
   */
  bindTable(table: dynamodb.ITable, access: TableAccess): this {
    this.addEnvironment(ENV.tableName, table.tableName);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [...TABLE_READ_ACTIONS],
        resources: [
          table.tableArn,
          ...TABLE_DEFINITION.globalSecondaryIndexes.map((gsi) => `${table.tableArn}/index/${gsi.indexName}`),
        ],
      }),
    );
    if (access === 'RW') {
      // Indexes are read-only projections: writes go to the table alone.
      this.addToRolePolicy(
        new iam.PolicyStatement({ actions: [...TABLE_WRITE_ACTIONS], resources: [table.tableArn] }),
      );
    }
    return this;
  }

  /** Sets `QM_BUS_NAME` and grants `events:PutEvents` on that bus only. */
  bindBus(bus: events.IEventBus): this {
    this.addEnvironment(ENV.busName, bus.eventBusName);
    bus.grantPutEventsTo(this);
    return this;
  }

  /**
   * Sets `QM_EXPORTS_BUCKET` and attaches the bucket's read or read-write policy. The policies
   * live in the stateful stack next to the bucket (see `QmStatefulStack.exportsBucketAccess`),
   * which is where their object-level wildcard is reviewed and acknowledged.
   */
  bindBucket(bucket: BucketWithAccessPolicies, access: 'R' | 'RW'): this {
    this.addEnvironment(ENV.exportsBucket, bucket.bucket.bucketName);
    this.executionRole.addManagedPolicy(bucket.accessPolicies[access]);
    return this;
  }

  /** Sets `QM_SM_<NAME>_ARN` and grants starting that machine and describing its executions. */
  bindWorkflow(name: string, machine: sfn.IStateMachine): this {
    this.addEnvironment(stateMachineArnEnv(name), machine.stateMachineArn);
    machine.grantStartExecution(this);
    const describe = machine.grantExecution(this, 'states:DescribeExecution');
    acknowledgeGrantWildcards(
      this.executionRole,
      describe,
      `Execution ARNs end in a generated execution name: \`:*\` is scoped to the executions of ${name} only.`,
    );
    return this;
  }

  /** Grants SendTaskSuccess/Failure/Heartbeat on the given machines (human steps in the console). */
  bindTaskCompletion(machines: readonly sfn.IStateMachine[]): this {
    for (const machine of machines) machine.grantTaskResponse(this);
    return this;
  }

  /**
   * Sets `QM_SECRETS_PREFIX` and grants reading (and with `write`, storing) the SecureString
   * parameters under `/quartermaster/<stage>/secrets/`, with KMS used through SSM only.
   */
  bindSecrets(stage: string, access: { write?: boolean } = {}): this {
    const prefix = `/quartermaster/${stage}/secrets/`;
    const stack = Stack.of(this);
    const parameters = stack.formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: `${prefix.slice(1)}*`,
    });
    const keys = stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' });
    this.addEnvironment(ENV.secretsPrefix, prefix);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter', 'ssm:GetParameters', ...(access.write ? ['ssm:PutParameter'] : [])],
        resources: [parameters],
      }),
    );
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', ...(access.write ? ['kms:Encrypt', 'kms:GenerateDataKey'] : [])],
        resources: [keys],
        conditions: { StringEquals: { 'kms:ViaService': `ssm.${stack.region}.amazonaws.com` } },
      }),
    );
    acknowledgeWildcardResources(
      this.executionRole,
      [parameters],
      `Channel secrets are one SecureString per channel under ${prefix}; the function reads that path of this stage only.`,
    );
    acknowledgeWildcardResources(
      this.executionRole,
      [keys],
      'SecureString decryption with whichever key the parameter uses (aws/ssm by default), allowed only through SSM by the kms:ViaService condition.',
    );
    return this;
  }

  /**
   * The health check: describe the table, the bus and every state machine, nothing else.
   * Sets the table and bus names and `QM_STATE_MACHINE_ARNS` (name → ARN).
   */
  bindHealthProbe(
    table: dynamodb.ITable,
    bus: events.IEventBus,
    machines: ReadonlyMap<string, sfn.IStateMachine>,
  ): this {
    this.addEnvironment(ENV.tableName, table.tableName);
    this.addEnvironment(ENV.busName, bus.eventBusName);
    const arns = Object.fromEntries([...machines].map(([name, machine]) => [name, machine.stateMachineArn]));
    this.addEnvironment(STATE_MACHINE_ARNS_ENV, Stack.of(this).toJsonString(arns));
    this.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [table.tableArn] }),
    );
    this.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['events:DescribeEventBus'], resources: [bus.eventBusArn] }),
    );
    for (const machine of machines.values()) machine.grant(this, 'states:DescribeStateMachine');
    return this;
  }
}
