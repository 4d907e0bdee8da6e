import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ConsoleHosting } from './constructs/console-hosting.ts';
import { ContextService, groupByContext } from './constructs/context-service.ts';
import { EventRules } from './constructs/event-rules.ts';
import { QmHttpApi } from './constructs/http-api.ts';
import type { QmFunction } from './constructs/qm-function.ts';
import { Schedules } from './constructs/schedules.ts';
import { StreamConsumers } from './constructs/stream-consumers.ts';
import { Workflows } from './constructs/workflows.ts';
import { MANIFEST, type SystemManifest } from './manifest/index.ts';
import { toPascal } from './naming.ts';

export interface QmStatelessStackProps extends StackProps {
  readonly stage: string;
  readonly table: dynamodb.ITable;
  readonly bus: events.IEventBus;
  readonly exportsBucket: s3.IBucket;
  /** The exports bucket's read and read-write managed policies (see `QmStatefulStack`). */
  readonly exportsBucketAccess: Readonly<Record<'R' | 'RW', iam.IManagedPolicy>>;
  readonly userPool: cognito.IUserPool;
  readonly consoleClient: cognito.IUserPoolClient;
  /**
   * The system to deploy. Tests pass a fixture to exercise parts the real manifest does not
   * use yet (state machines, schedules, stream consumers).
   * @default MANIFEST
   */
  readonly manifest?: SystemManifest;
  /**
   * Directory manifest paths (`entry`, `statemachines/`) are relative to.
   * @default the repository root
   */
  readonly rootDir?: string;
}

/**
 * Everything that can be deleted and redeployed without losing data: functions, API, state
 * machines, rules, schedules and stream consumers. It is derived entirely from the manifest;
 * nothing here names a particular function, route or rule.
 *
 * Each bounded context's functions (with their roles, policies and log groups) are a nested
 * stack of their own (see `ContextService`; functions a state machine invokes stay here), so
 * this template keeps what connects them: the HTTP API, rules, workflows, schedules, stream
 * consumers and the console. CloudFormation counts every template against its 500-resource
 * limit separately; test/infra/stack-limits.test.ts keeps each one well below it.
 */
export class QmStatelessStack extends Stack {
  readonly manifest: SystemManifest;
  /** Bounded context → its service construct. */
  readonly services: ReadonlyMap<string, ContextService>;
  /** Manifest name → function, across all contexts. */
  readonly functions: ReadonlyMap<string, QmFunction>;
  readonly workflows: Workflows;
  readonly httpApi: QmHttpApi;
  readonly eventRules: EventRules;
  readonly schedules: Schedules;
  readonly streamConsumers: StreamConsumers;
  readonly console: ConsoleHosting;

  constructor(scope: Construct, id: string, props: QmStatelessStackProps) {
    super(scope, id, props);
    const manifest = props.manifest ?? MANIFEST;
    this.manifest = manifest;

    // 1. One service per bounded context, its functions in a nested stack (but those a state
    // machine invokes); data-plane bindings happen as functions are created.
    const services = new Map<string, ContextService>();
    const functions = new Map<string, QmFunction>();
    const workflowTasks = new Set(
      manifest.stateMachines.flatMap((machine) => Object.values(machine.functions)),
    );
    for (const [context, specs] of groupByContext(manifest.functions)) {
      const service = new ContextService(this, `${toPascal(context)}Service`, {
        context,
        functions: specs,
        routes: manifest.routes,
        workflowTasks,
        stage: props.stage,
        table: props.table,
        bus: props.bus,
        exportsBucket: { bucket: props.exportsBucket, accessPolicies: props.exportsBucketAccess },
        rootDir: props.rootDir,
      });
      services.set(context, service);
      for (const [name, fn] of service.functions) functions.set(name, fn);
    }
    this.services = services;
    this.functions = functions;

    // 2. State machines need the functions' ARNs; 3. then functions get the machines' ARNs.
    this.workflows = new Workflows(this, 'Workflows', {
      stateMachines: manifest.stateMachines,
      functions,
      rootDir: props.rootDir,
    });
    for (const service of services.values()) service.bindWorkflows(this.workflows.references);

    // 4. Entry points: HTTP routes, bus rules, schedules, table-stream consumers.
    this.httpApi = new QmHttpApi(this, 'HttpApi', {
      stage: props.stage,
      routes: manifest.routes,
      functions,
      userPool: props.userPool,
      consoleClient: props.consoleClient,
    });
    this.eventRules = new EventRules(this, 'Rules', {
      rules: manifest.rules,
      bus: props.bus,
      functions,
      machines: this.workflows.machines,
    });
    this.schedules = new Schedules(this, 'Schedules', { schedules: manifest.schedules, functions });
    this.streamConsumers = new StreamConsumers(this, 'Streams', {
      streams: manifest.streams,
      table: props.table,
      functions,
    });

    // 5. The ops console (Amplify Hosting), configured from this stack's outputs; the API allows
    // its origin only (the console calls it cross-origin so the audit trail sees real client IPs).
    this.console = new ConsoleHosting(this, 'Console', {
      apiUrl: this.httpApi.stage.url,
      userPoolId: props.userPool.userPoolId,
      userPoolClientId: props.consoleClient.userPoolClientId,
      region: this.region,
      stage: props.stage,
    });
    (this.httpApi.api.node.defaultChild as apigw.CfnApi).corsConfiguration = {
      allowOrigins: [this.console.consoleOrigin],
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      allowHeaders: ['authorization', 'content-type', 'x-correlation-id'],
      exposeHeaders: ['x-correlation-id'],
      maxAge: 3600,
    };

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: props.userPool.userPoolId, description: 'Cognito user pool' });
    new CfnOutput(this, 'ConsoleClientId', {
      value: props.consoleClient.userPoolClientId,
      description: 'Public app client of the ops console',
    });
    new CfnOutput(this, 'BusName', { value: props.bus.eventBusName, description: 'The erp event bus' });
    new CfnOutput(this, 'TableName', { value: props.table.tableName, description: 'The single table' });
  }
}
