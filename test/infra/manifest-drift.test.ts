import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env.ts';
import type { QuartermasterOptions } from '../../lib/app.ts';
import { isDeployed } from '../../lib/constructs/http-api.ts';
import { STATE_MACHINE_ARNS_ENV } from '../../lib/constructs/qm-function.ts';
import { STATE_MACHINE_TAG } from '../../lib/constructs/workflows.ts';
import {
  type FunctionSpec,
  MANIFEST,
  type RouteSpec,
  type RuleSpec,
  routeKey,
  routeRolesTable,
  type SystemManifest,
  stateMachineArnEnv,
} from '../../lib/manifest/index.ts';
import { FIXTURE_MANIFEST, FIXTURE_ROOT } from './fixtures/manifest.ts';
import { synthesizeApp } from './support/app.ts';
import {
  actionsOf,
  type CfnResource,
  deployedFunctions,
  functionByName,
  logicalIdOf,
  resourcesOf,
  statementsOfRole,
} from './support/template.ts';

/**
 * The real manifest, and a fixture that uses what the real one does not use yet (state
 * machines, a state-machine rule target, schedules, stream consumers, secrets, the exports
 * bucket, a local-only route), so every generic code path is checked today.
 */
const CASES: { label: string; manifest: SystemManifest; options: QuartermasterOptions }[] = [
  { label: 'the system manifest', manifest: MANIFEST, options: {} },
  {
    label: 'the fixture manifest',
    manifest: FIXTURE_MANIFEST,
    options: { manifest: FIXTURE_MANIFEST, rootDir: FIXTURE_ROOT },
  },
];

/** What a function's environment must contain, derived from its spec alone. */
function expectedEnvKeys(spec: FunctionSpec, ownRoutes: readonly RouteSpec[]): string[] {
  const keys = new Set<string>(['POWERTOOLS_SERVICE_NAME', ENV.stage, 'NODE_OPTIONS']);
  if (spec.table || spec.probesHealth) keys.add(ENV.tableName);
  if (spec.publishes || spec.probesHealth) keys.add(ENV.busName);
  if (spec.exportsBucket) keys.add(ENV.exportsBucket);
  if (spec.readsSecrets || spec.writesSecrets) keys.add(ENV.secretsPrefix);
  for (const workflow of spec.startsWorkflows ?? []) keys.add(stateMachineArnEnv(workflow));
  if (spec.probesHealth) keys.add(STATE_MACHINE_ARNS_ENV);
  if (ownRoutes.length > 0) keys.add(ENV.routeRoles);
  return [...keys].sort();
}

const contextOfEntry = (entry: string): string | undefined => /^functions\/([^/]+)\//.exec(entry)?.[1];

function queueIsEncryptedTlsOnlyDlq(template: Template, queueRef: unknown): void {
  const queueId = logicalIdOf(queueRef);
  expect(queueId, 'dead-letter queue reference').toBeDefined();
  const queue = resourcesOf(template, 'AWS::SQS::Queue')[queueId as string];
  expect(queue?.Properties.SqsManagedSseEnabled).toBe(true);
  const policies = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).filter((p) =>
    JSON.stringify(p.Properties.Queues).includes(queueId as string),
  );
  const denyInsecure = policies.flatMap(
    (p) =>
      (p.Properties.PolicyDocument as { Statement: { Effect: string; Condition?: unknown }[] }).Statement,
  );
  expect(denyInsecure).toContainEqual(
    expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
  );
}

describe.each(CASES)('stateless stack built from $label', ({ manifest, options }) => {
  let stateless: Template;
  let stateful: Template;
  let busLogicalId: string;
  let tableLogicalId: string;
  /** Manifest function name → logical id of its Lambda. */
  let fnIds: Map<string, string>;

  beforeAll(() => {
    const synthesized = synthesizeApp(options);
    stateless = synthesized.statelessTemplate;
    stateful = synthesized.statefulTemplate;
    busLogicalId = Object.keys(resourcesOf(stateful, 'AWS::Events::EventBus'))[0] as string;
    tableLogicalId = Object.keys(resourcesOf(stateful, 'AWS::DynamoDB::Table'))[0] as string;
    fnIds = new Map(deployedFunctions(stateless).map((f) => [f.name ?? '', f.logicalId]));
  });

  describe('functions', () => {
    it('deploys exactly one Lambda per manifest function and no untagged helper functions', () => {
      const deployed = deployedFunctions(stateless);
      // Every application function is a QmFunction. The only other Lambdas are the console's
      // deployment-time helpers: CDK's (staging the build, emptying buckets on delete) and the step
      // that starts the Amplify deployment.
      const helpers = deployed.filter((f) => f.name === undefined).map((f) => f.logicalId);
      for (const id of helpers) {
        expect(id).toMatch(
          /^(Custom(CDKBucketDeployment|S3AutoDeleteObjectsCustomResourceProvider)|ConsoleDeployer[0-9A-F]{8}$)/,
        );
      }
      const named = deployed.flatMap((f) => (f.name === undefined ? [] : [f.name]));
      expect(named.sort()).toEqual(Object.keys(manifest.functions).sort());
    });

    it('runs each function on Node 22 / arm64 with X-Ray, its own log group and the spec timeout and memory', () => {
      for (const [name, spec] of Object.entries(manifest.functions)) {
        const fn = functionByName(stateless, name);
        expect(fn.resource.Properties, name).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          Timeout: spec.timeoutSeconds ?? 10,
          MemorySize: spec.memoryMb ?? 512,
          Handler: 'index.handler',
        });
        const logGroupId = logicalIdOf(
          (fn.resource.Properties.LoggingConfig as { LogGroup: unknown }).LogGroup,
        );
        expect(
          resourcesOf(stateless, 'AWS::Logs::LogGroup')[logGroupId as string]?.Properties.RetentionInDays,
        ).toBe(30);
      }
    });

    it('sets exactly the environment each spec asks for, with the context as Powertools service', () => {
      for (const [name, spec] of Object.entries(manifest.functions)) {
        const { env, context } = functionByName(stateless, name);
        const ownRoutes = manifest.routes.filter((r) => isDeployed(r) && r.fn === name);
        expect(Object.keys(env).sort(), name).toEqual(expectedEnvKeys(spec, ownRoutes));
        // The roles the function enforces are exactly those the manifest declares for its routes.
        if (ownRoutes.length > 0) {
          expect(JSON.parse(String(env[ENV.routeRoles])), name).toEqual(routeRolesTable(ownRoutes));
        }
        expect(env.POWERTOOLS_SERVICE_NAME, name).toBe(contextOfEntry(spec.entry));
        expect(context, name).toBe(contextOfEntry(spec.entry));
        expect(env[ENV.stage], name).toBe('aws');
      }
    });

    it('grants each function the actions its spec implies and nothing else', () => {
      const machines = manifest.stateMachines.length;
      const consumers = new Set(manifest.streams.map((s) => s.fn));
      for (const [name, spec] of Object.entries(manifest.functions)) {
        const fn = functionByName(stateless, name);
        const statements = statementsOfRole(stateless, fn.roleLogicalId as string, [stateful]);
        const actions = actionsOf(statements);
        const has = (action: string) => actions.has(action);
        expect({
          name,
          can: Object.fromEntries(EXPECTATIONS.map(([action]) => [action, has(action)])),
        }).toEqual({
          name,
          can: Object.fromEntries(
            EXPECTATIONS.map(([action, implied]) => [
              action,
              implied(spec, { machines, consumer: consumers.has(name) }),
            ]),
          ),
        });
        expect(
          [...actions].filter((a) => a.includes('*')),
          name,
        ).toEqual([]);
        // `*` resources only for actions that have no resource-level permissions.
        const starActions = statements.filter((s) => s.Resource === '*').flatMap((s) => [s.Action].flat());
        expect(
          starActions.every((a) => /^xray:|^dynamodb:ListStreams$/.test(a)),
          `${name}: ${starActions}`,
        ).toBe(true);
      }
    });

    it('names the GSIs of the table instead of granting index/*', () => {
      for (const [name, spec] of Object.entries(manifest.functions)) {
        if (!spec.table) continue;
        const fn = functionByName(stateless, name);
        const reads = statementsOfRole(stateless, fn.roleLogicalId as string).find((s) =>
          [s.Action].flat().includes('dynamodb:Query'),
        );
        const resources = JSON.stringify(reads?.Resource);
        expect(resources, name).toContain('/index/gsi1');
        expect(resources, name).toContain('/index/gsi2');
        expect(resources, name).not.toContain('index/*');
        expect(resources, name).toContain(tableLogicalId);
      }
    });
  });

  describe('HTTP API', () => {
    const routes = () => Object.values(resourcesOf(stateless, 'AWS::ApiGatewayV2::Route'));
    const routeByKey = (key: string): CfnResource | undefined =>
      routes().find((r) => r.Properties.RouteKey === key);

    it('deploys every non-local route, and only those', () => {
      expect(
        routes()
          .map((r) => r.Properties.RouteKey)
          .sort(),
      ).toEqual(manifest.routes.filter(isDeployed).map(routeKey).sort());
      for (const route of manifest.routes.filter((r) => !isDeployed(r))) {
        expect(routeByKey(routeKey(route)), routeKey(route)).toBeUndefined();
      }
    });

    it('puts the Cognito JWT authorizer on a route if and only if it declares roles', () => {
      const [authorizerId, authorizer] =
        Object.entries(resourcesOf(stateless, 'AWS::ApiGatewayV2::Authorizer'))[0] ?? [];
      expect(authorizer?.Properties).toMatchObject({
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
      });
      const jwt = JSON.stringify(authorizer?.Properties.JwtConfiguration);
      expect(jwt).toContain('https://cognito-idp.');
      expect(jwt).toContain('UserPool');
      expect(jwt).toContain('ConsoleClient');
      for (const route of manifest.routes.filter(isDeployed)) {
        const deployed = routeByKey(routeKey(route));
        if ('roles' in route.auth) {
          expect(deployed?.Properties, routeKey(route)).toMatchObject({
            AuthorizationType: 'JWT',
            AuthorizerId: { Ref: authorizerId },
          });
        } else {
          expect(deployed?.Properties.AuthorizationType, routeKey(route)).toBe('NONE');
          expect(deployed?.Properties.AuthorizerId, routeKey(route)).toBeUndefined();
        }
      }
    });

    it('has no /api/* route without an authorizer', () => {
      const open = routes().filter(
        (r) => / \/api\//.test(String(r.Properties.RouteKey)) && r.Properties.AuthorizationType !== 'JWT',
      );
      expect(open.map((r) => r.Properties.RouteKey)).toEqual([]);
    });

    it('integrates each route with its manifest function through payload format 2.0', () => {
      const integrations = resourcesOf(stateless, 'AWS::ApiGatewayV2::Integration');
      for (const route of manifest.routes.filter(isDeployed)) {
        const target = JSON.stringify(routeByKey(routeKey(route))?.Properties.Target);
        const [integrationId, integration] =
          Object.entries(integrations).find(([id]) => target.includes(`"${id}"`)) ?? [];
        expect(integrationId, routeKey(route)).toBeDefined();
        expect(integration?.Properties).toMatchObject({
          IntegrationType: 'AWS_PROXY',
          PayloadFormatVersion: '2.0',
        });
        expect(logicalIdOf(integration?.Properties.IntegrationUri), routeKey(route)).toBe(
          fnIds.get(route.fn),
        );
      }
    });

    it('logs access and throttles on the $default stage', () => {
      const stages = Object.values(resourcesOf(stateless, 'AWS::ApiGatewayV2::Stage'));
      expect(stages).toHaveLength(1);
      expect(stages[0]?.Properties).toMatchObject({
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: {
          DestinationArn: expect.anything(),
          Format: expect.stringContaining('$context.requestId'),
        },
        DefaultRouteSettings: {
          ThrottlingRateLimit: expect.any(Number),
          ThrottlingBurstLimit: expect.any(Number),
        },
      });
    });
  });

  describe('event rules', () => {
    const rules = () => Object.entries(resourcesOf(stateless, 'AWS::Events::Rule'));
    const ruleFor = (spec: RuleSpec) => {
      const matches = rules().filter(([, r]) => r.Properties.Description === spec.description);
      expect(matches, spec.name).toHaveLength(1);
      return matches[0] as [string, CfnResource];
    };

    it('creates one rule per manifest rule and no other', () => {
      expect(rules()).toHaveLength(manifest.rules.length);
    });

    it("deploys each rule's event pattern exactly as the manifest writes it, on the erp bus", () => {
      for (const spec of manifest.rules) {
        const [, rule] = ruleFor(spec);
        expect(rule.Properties.EventPattern, spec.name).toEqual(JSON.parse(JSON.stringify(spec.pattern)));
        expect(JSON.stringify(rule.Properties.EventBusName), spec.name).toContain(busLogicalId);
        expect(rule.Properties.State).toBe('ENABLED');
      }
    });

    it('targets the manifest function or state machine, with a DLQ, 8 retries and a 24 h event age', () => {
      const machineIds = new Map(
        Object.entries(resourcesOf(stateless, 'AWS::StepFunctions::StateMachine')).map(([id, sm]) => [
          (sm.Properties.Tags as { Key: string; Value: string }[]).find((t) => t.Key === STATE_MACHINE_TAG)
            ?.Value,
          id,
        ]),
      );
      for (const spec of manifest.rules) {
        const [ruleId, rule] = ruleFor(spec);
        const targets = rule.Properties.Targets as Record<string, unknown>[];
        expect(targets, spec.name).toHaveLength(1);
        const target = targets[0] as Record<string, unknown>;
        const expected =
          'fn' in spec.target ? fnIds.get(spec.target.fn) : machineIds.get(spec.target.stateMachine);
        expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 });
        const dlqId = logicalIdOf((target.DeadLetterConfig as { Arn: unknown }).Arn);
        queueIsEncryptedTlsOnlyDlq(stateless, (target.DeadLetterConfig as { Arn: unknown }).Arn);
        if ('fn' in spec.target && spec.target.batch) {
          // Rule → queue → function in batches; a message that keeps failing moves to the same DLQ.
          const queueId = logicalIdOf(target.Arn) as string;
          const queue = resourcesOf(stateless, 'AWS::SQS::Queue')[queueId];
          const timeout = (functionByName(stateless, spec.target.fn).resource.Properties.Timeout ??
            3) as number;
          expect(queue?.Properties, spec.name).toMatchObject({
            SqsManagedSseEnabled: true,
            VisibilityTimeout: 6 * timeout + spec.target.batch.windowSeconds,
            RedrivePolicy: { maxReceiveCount: 5 },
          });
          expect(
            logicalIdOf(
              (queue?.Properties.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)
                ?.deadLetterTargetArn,
            ),
          ).toBe(dlqId);
          const policies = Object.values(resourcesOf(stateless, 'AWS::SQS::QueuePolicy')).filter((p) =>
            JSON.stringify(p.Properties.Queues).includes(queueId),
          );
          const statements = policies.flatMap(
            (p) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
          );
          expect(statements).toContainEqual(
            expect.objectContaining({
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
            }),
          );
          expect(statements).toContainEqual(
            expect.objectContaining({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          );
          const mappings = Object.values(resourcesOf(stateless, 'AWS::Lambda::EventSourceMapping')).filter(
            (m) => logicalIdOf(m.Properties.EventSourceArn) === queueId,
          );
          expect(mappings.map((m) => m.Properties)).toEqual([
            expect.objectContaining({
              FunctionName: { Ref: expected },
              BatchSize: spec.target.batch.size,
              ...(spec.target.batch.windowSeconds > 0
                ? { MaximumBatchingWindowInSeconds: spec.target.batch.windowSeconds }
                : {}),
              FunctionResponseTypes: ['ReportBatchItemFailures'],
            }),
          ]);
          continue;
        }
        expect(logicalIdOf(target.Arn), spec.name).toBe(expected);
        if ('fn' in spec.target) {
          const permissions = Object.values(resourcesOf(stateless, 'AWS::Lambda::Permission'));
          expect(permissions.map((p) => p.Properties)).toContainEqual(
            expect.objectContaining({
              Principal: 'events.amazonaws.com',
              FunctionName: { 'Fn::GetAtt': [expected, 'Arn'] },
              SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
            }),
          );
        } else {
          const roleId = logicalIdOf(target.RoleArn) as string;
          const starts = statementsOfRole(stateless, roleId).filter((s) =>
            [s.Action].flat().includes('states:StartExecution'),
          );
          expect(starts.map((s) => logicalIdOf(s.Resource))).toEqual([expected]);
        }
      }
    });
  });

  describe('workflows, schedules and stream consumers', () => {
    it('creates each state machine from its ASL file with every placeholder bound to its function', () => {
      const machines = Object.values(resourcesOf(stateless, 'AWS::StepFunctions::StateMachine'));
      expect(machines).toHaveLength(manifest.stateMachines.length);
      for (const spec of manifest.stateMachines) {
        const machine = machines.find((m) =>
          (m.Properties.Tags as { Key: string; Value: string }[]).some(
            (t) => t.Key === STATE_MACHINE_TAG && t.Value === spec.name,
          ),
        );
        expect(machine?.Properties, spec.name).toMatchObject({
          StateMachineType: 'STANDARD',
          LoggingConfiguration: { Level: 'ALL' },
          TracingConfiguration: { Enabled: true },
        });
        const substitutions = machine?.Properties.DefinitionSubstitutions as Record<string, unknown>;
        expect(
          Object.fromEntries(Object.entries(substitutions).map(([k, v]) => [k, logicalIdOf(v)])),
        ).toEqual(Object.fromEntries(Object.entries(spec.functions).map(([k, fn]) => [k, fnIds.get(fn)])));
        const invokes = statementsOfRole(stateless, logicalIdOf(machine?.Properties.RoleArn) as string)
          .filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'))
          .flatMap((s) => [s.Resource].flat().map((r) => JSON.stringify(r)));
        const invocable = new Set(invokes.map((r) => /"([A-Za-z0-9]+)","Arn"/.exec(r)?.[1]));
        expect([...invocable].sort()).toEqual(
          [...new Set(Object.values(spec.functions).map((f) => fnIds.get(f)))].sort(),
        );
      }
    });

    it('schedules each function with EventBridge Scheduler, a DLQ and retries', () => {
      const schedules = Object.values(resourcesOf(stateless, 'AWS::Scheduler::Schedule'));
      expect(schedules).toHaveLength(manifest.schedules.length);
      for (const spec of manifest.schedules) {
        const schedule = schedules.find((s) => s.Properties.Description === spec.description);
        expect(schedule?.Properties, spec.name).toMatchObject({
          ScheduleExpression: spec.expression,
          State: 'ENABLED',
          Target: { RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 } },
        });
        const target = schedule?.Properties.Target as { Arn: unknown; DeadLetterConfig: { Arn: unknown } };
        expect(logicalIdOf(target.Arn), spec.name).toBe(fnIds.get(spec.fn));
        queueIsEncryptedTlsOnlyDlq(stateless, target.DeadLetterConfig.Arn);
      }
    });

    it('consumes the table stream from TRIM_HORIZON with bisection, retries and an SQS on-failure destination', () => {
      // Batching rule targets have SQS mappings of their own (checked with the rules).
      const mappings = Object.values(resourcesOf(stateless, 'AWS::Lambda::EventSourceMapping')).filter((m) =>
        JSON.stringify(m.Properties.EventSourceArn).includes('StreamArn'),
      );
      expect(mappings).toHaveLength(manifest.streams.length);
      for (const spec of manifest.streams) {
        const mapping = mappings.find((m) => logicalIdOf(m.Properties.FunctionName) === fnIds.get(spec.fn));
        expect(mapping?.Properties, spec.name).toMatchObject({
          StartingPosition: 'TRIM_HORIZON',
          BatchSize: spec.batchSize ?? 100,
          BisectBatchOnFunctionError: true,
          MaximumRetryAttempts: expect.any(Number),
        });
        expect(JSON.stringify(mapping?.Properties.EventSourceArn)).toMatch(
          new RegExp(`${tableLogicalId}.*StreamArn`),
        );
        const destination = mapping?.Properties.DestinationConfig as { OnFailure: { Destination: unknown } };
        queueIsEncryptedTlsOnlyDlq(stateless, destination.OnFailure.Destination);
      }
    });
  });
});

/** Action → when a spec implies it. Checked both ways: present if implied, absent otherwise. */
const EXPECTATIONS: [
  string,
  (spec: FunctionSpec, ctx: { machines: number; consumer: boolean }) => boolean,
][] = [
  ['dynamodb:GetItem', (s) => s.table !== undefined],
  ['dynamodb:Query', (s) => s.table !== undefined],
  ['dynamodb:PutItem', (s) => s.table === 'RW'],
  ['dynamodb:UpdateItem', (s) => s.table === 'RW'],
  ['dynamodb:DeleteItem', (s) => s.table === 'RW'],
  ['dynamodb:DescribeTable', (s) => s.probesHealth === true],
  ['dynamodb:GetRecords', (_s, c) => c.consumer],
  ['events:PutEvents', (s) => s.publishes === true],
  ['events:DescribeEventBus', (s) => s.probesHealth === true],
  ['states:StartExecution', (s) => (s.startsWorkflows ?? []).length > 0],
  ['states:DescribeExecution', (s) => (s.startsWorkflows ?? []).length > 0],
  ['states:SendTaskSuccess', (s, c) => s.completesTasks === true && c.machines > 0],
  ['states:DescribeStateMachine', (s, c) => s.probesHealth === true && c.machines > 0],
  ['s3:GetObject', (s) => s.exportsBucket !== undefined],
  ['s3:PutObject', (s) => s.exportsBucket === 'RW'],
  ['s3:DeleteObject', () => false],
  ['ssm:GetParameter', (s) => s.readsSecrets === true || s.writesSecrets === true],
  ['ssm:PutParameter', (s) => s.writesSecrets === true],
  ['kms:Decrypt', (s) => s.readsSecrets === true || s.writesSecrets === true],
  ['kms:Encrypt', (s) => s.writesSecrets === true],
  ['logs:PutLogEvents', () => true],
];
