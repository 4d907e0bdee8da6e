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
  type AppTemplates,
  actionsOf,
  type CfnResource,
  type ResourceKey,
  resourcesOf,
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

/** The queue a reference in stack `at` points at (in whichever stack it lives) is an encrypted, TLS-only DLQ. */
function queueIsEncryptedTlsOnlyDlq(app: AppTemplates, queueRef: unknown, at: string): void {
  const queueKey = app.resolve(queueRef, at);
  expect(queueKey, 'dead-letter queue reference').toBeDefined();
  const queue = app.resource(queueKey as ResourceKey);
  expect(queue?.Type).toBe('AWS::SQS::Queue');
  expect(queue?.Properties.SqsManagedSseEnabled).toBe(true);
  const policies = app
    .resources('AWS::SQS::QueuePolicy')
    .filter((p) =>
      (p.resource.Properties.Queues as unknown[]).some((q) => app.resolve(q, p.stack) === queueKey),
    );
  const denyInsecure = policies.flatMap(
    (p) =>
      (p.resource.Properties.PolicyDocument as { Statement: { Effect: string; Condition?: unknown }[] })
        .Statement,
  );
  expect(denyInsecure).toContainEqual(
    expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
  );
}

/**
 * Every resource key a value refers to: `Ref`, `Fn::GetAtt` and `Fn::GetStackOutput` anywhere in
 * it (inside `Fn::Join` and the like), each followed to the resource across stacks.
 */
function referencedKeys(app: AppTemplates, value: unknown, at: string): ResourceKey[] {
  if (typeof value !== 'object' || value === null) return [];
  const key = app.resolve(value, at);
  if (key) return [key];
  return Object.values(value).flatMap((v) => referencedKeys(app, v, at));
}

/*
 * The stateless stack is deployed as one stack and a nested stack per bounded context, so
 * everything below is looked up across the stateless stack and its nested stacks, and every
 * reference is followed to the resource it names (see AppTemplates).
 */
describe.each(CASES)('stateless stack built from $label', ({ manifest, options }) => {
  let stateless: Template;
  let app: AppTemplates;
  /** Path (= name) of the stateless stack; its nested stacks are below it. */
  let root: string;
  let busLogicalId: string;
  let tableLogicalId: string;
  /** Manifest function name → its Lambda, wherever it is deployed. */
  let fnKeys: Map<string, ResourceKey>;
  const functionByName = (name: string) => app.functionByName(root, name);
  const resourcesIn = (type: string) => app.resources(type, root);

  beforeAll(() => {
    const synthesized = synthesizeApp(options);
    stateless = synthesized.statelessTemplate;
    app = synthesized.templates;
    root = synthesized.stateless.stackName;
    const stateful = synthesized.statefulTemplate;
    busLogicalId = Object.keys(resourcesOf(stateful, 'AWS::Events::EventBus'))[0] as string;
    tableLogicalId = Object.keys(resourcesOf(stateful, 'AWS::DynamoDB::Table'))[0] as string;
    fnKeys = new Map(app.functions(root).map((f) => [f.name ?? '', f.key]));
  });

  describe('functions', () => {
    it('deploys exactly one Lambda per manifest function and no untagged helper functions', () => {
      const deployed = app.functions(root);
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
        const fn = functionByName(name);
        expect(fn.resource.Properties, name).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          Timeout: spec.timeoutSeconds ?? 10,
          MemorySize: spec.memoryMb ?? 512,
          Handler: 'index.handler',
        });
        const logGroup = app.resolve(
          (fn.resource.Properties.LoggingConfig as { LogGroup: unknown }).LogGroup,
          fn.stack,
        );
        expect(app.resource(logGroup as ResourceKey), name).toMatchObject({
          Type: 'AWS::Logs::LogGroup',
          Properties: { RetentionInDays: 30 },
        });
      }
    });

    it('sets exactly the environment each spec asks for, with the context as Powertools service', () => {
      for (const [name, spec] of Object.entries(manifest.functions)) {
        const { env, context } = functionByName(name);
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
        const statements = app.statementsOfRole(functionByName(name).roleKey as ResourceKey);
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
        const reads = app
          .statementsOfRole(functionByName(name).roleKey as ResourceKey)
          .find((s) => [s.Action].flat().includes('dynamodb:Query'));
        const resources = JSON.stringify(reads?.Resource);
        expect(resources, name).toContain('/index/gsi1');
        expect(resources, name).toContain('/index/gsi2');
        expect(resources, name).not.toContain('index/*');
        expect(resources, name).toContain(tableLogicalId);
      }
    });
  });

  describe('HTTP API', () => {
    // A route lives with its function (in the context's nested stack): looked up across them all.
    const located = () => resourcesIn('AWS::ApiGatewayV2::Route');
    const routes = () => located().map((r) => r.resource);
    const locatedByKey = (key: string) => located().find((r) => r.resource.Properties.RouteKey === key);
    const routeByKey = (key: string): CfnResource | undefined => locatedByKey(key)?.resource;

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
        const found = locatedByKey(routeKey(route));
        const deployed = found?.resource;
        if ('roles' in route.auth) {
          expect(deployed?.Properties.AuthorizationType, routeKey(route)).toBe('JWT');
          expect(app.resolve(deployed?.Properties.AuthorizerId, found?.stack ?? root), routeKey(route)).toBe(
            `${root}/${authorizerId}`,
          );
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
      for (const route of manifest.routes.filter(isDeployed)) {
        const found = locatedByKey(routeKey(route));
        const target = JSON.stringify(found?.resource.Properties.Target);
        // The integration is in the route's stack, next to it.
        const integration = resourcesIn('AWS::ApiGatewayV2::Integration').find(
          (i) => i.stack === found?.stack && target.includes(`"${i.logicalId}"`),
        );
        expect(integration, routeKey(route)).toBeDefined();
        expect(integration?.resource.Properties).toMatchObject({
          IntegrationType: 'AWS_PROXY',
          PayloadFormatVersion: '2.0',
        });
        expect(
          app.resolve(integration?.resource.Properties.IntegrationUri, integration?.stack ?? root),
          routeKey(route),
        ).toBe(fnKeys.get(route.fn));
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
      const machineKeys = new Map(
        resourcesIn('AWS::StepFunctions::StateMachine').map((sm) => [
          (sm.resource.Properties.Tags as { Key: string; Value: string }[]).find(
            (t) => t.Key === STATE_MACHINE_TAG,
          )?.Value,
          sm.key,
        ]),
      );
      for (const spec of manifest.rules) {
        const [ruleId, rule] = ruleFor(spec);
        const ruleKey: ResourceKey = `${root}/${ruleId}`;
        const targets = rule.Properties.Targets as Record<string, unknown>[];
        expect(targets, spec.name).toHaveLength(1);
        const target = targets[0] as Record<string, unknown>;
        const expected =
          'fn' in spec.target ? fnKeys.get(spec.target.fn) : machineKeys.get(spec.target.stateMachine);
        expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 });
        const dlqKey = app.resolve((target.DeadLetterConfig as { Arn: unknown }).Arn, root);
        queueIsEncryptedTlsOnlyDlq(app, (target.DeadLetterConfig as { Arn: unknown }).Arn, root);
        if ('fn' in spec.target && spec.target.batch) {
          // Rule → queue → function in batches; a message that keeps failing moves to the same DLQ.
          const queueKey = app.resolve(target.Arn, root) as ResourceKey;
          const queueId = queueKey.slice(queueKey.lastIndexOf('/') + 1);
          const queue = app.resource(queueKey);
          const timeout = (functionByName(spec.target.fn).resource.Properties.Timeout ?? 3) as number;
          expect(queue?.Properties, spec.name).toMatchObject({
            SqsManagedSseEnabled: true,
            VisibilityTimeout: 6 * timeout + spec.target.batch.windowSeconds,
            RedrivePolicy: { maxReceiveCount: 5 },
          });
          expect(
            app.resolve(
              (queue?.Properties.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)
                ?.deadLetterTargetArn,
              root,
            ),
          ).toBe(dlqKey);
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
          const mappings = resourcesIn('AWS::Lambda::EventSourceMapping').filter(
            (m) => app.resolve(m.resource.Properties.EventSourceArn, m.stack) === queueKey,
          );
          expect(mappings.map((m) => app.resolve(m.resource.Properties.FunctionName, m.stack))).toEqual([
            expected,
          ]);
          expect(mappings.map((m) => m.resource.Properties)).toEqual([
            expect.objectContaining({
              BatchSize: spec.target.batch.size,
              ...(spec.target.batch.windowSeconds > 0
                ? { MaximumBatchingWindowInSeconds: spec.target.batch.windowSeconds }
                : {}),
              FunctionResponseTypes: ['ReportBatchItemFailures'],
            }),
          ]);
          continue;
        }
        expect(app.resolve(target.Arn, root), spec.name).toBe(expected);
        if ('fn' in spec.target) {
          const permissions = app
            .resources('AWS::Lambda::Permission')
            .filter(
              (p) =>
                p.resource.Properties.Principal === 'events.amazonaws.com' &&
                app.resolve(p.resource.Properties.FunctionName, p.stack) === expected &&
                app.resolve(p.resource.Properties.SourceArn, p.stack) === ruleKey,
            );
          expect(permissions, spec.name).toHaveLength(1);
        } else {
          const starts = app
            .statementsOfRole(app.resolve(target.RoleArn, root) as ResourceKey)
            .filter((s) => [s.Action].flat().includes('states:StartExecution'));
          expect(starts.map((s) => app.resolve(s.Resource, root))).toEqual([expected]);
        }
      }
    });
  });

  describe('workflows, schedules and stream consumers', () => {
    it('creates each state machine from its ASL file with every placeholder bound to its function', () => {
      const machines = resourcesIn('AWS::StepFunctions::StateMachine');
      expect(machines).toHaveLength(manifest.stateMachines.length);
      for (const spec of manifest.stateMachines) {
        const located = machines.find((m) =>
          (m.resource.Properties.Tags as { Key: string; Value: string }[]).some(
            (t) => t.Key === STATE_MACHINE_TAG && t.Value === spec.name,
          ),
        );
        const machine = located?.resource;
        const at = located?.stack ?? root;
        expect(machine?.Properties, spec.name).toMatchObject({
          StateMachineType: 'STANDARD',
          LoggingConfiguration: { Level: 'ALL' },
          TracingConfiguration: { Enabled: true },
        });
        const substitutions = machine?.Properties.DefinitionSubstitutions as Record<string, unknown>;
        expect(
          Object.fromEntries(Object.entries(substitutions).map(([k, v]) => [k, app.resolve(v, at)])),
        ).toEqual(Object.fromEntries(Object.entries(spec.functions).map(([k, fn]) => [k, fnKeys.get(fn)])));
        const invokes = app
          .statementsOfRole(app.resolve(machine?.Properties.RoleArn, at) as ResourceKey)
          .filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'))
          .flatMap((s) => referencedKeys(app, s.Resource, at));
        const invocable = new Set(invokes.filter((k) => app.resource(k)?.Type === 'AWS::Lambda::Function'));
        expect([...invocable].sort()).toEqual(
          [...new Set(Object.values(spec.functions).map((f) => fnKeys.get(f)))].sort(),
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
        expect(app.resolve(target.Arn, root), spec.name).toBe(fnKeys.get(spec.fn));
        queueIsEncryptedTlsOnlyDlq(app, target.DeadLetterConfig.Arn, root);
      }
    });

    it('consumes the table stream from TRIM_HORIZON with bisection, retries, its filters and an SQS on-failure destination', () => {
      // Batching rule targets have SQS mappings of their own (checked with the rules).
      const mappings = resourcesIn('AWS::Lambda::EventSourceMapping').filter((m) =>
        JSON.stringify(m.resource.Properties.EventSourceArn).includes('StreamArn'),
      );
      expect(mappings).toHaveLength(manifest.streams.length);
      for (const spec of manifest.streams) {
        const located = mappings.find(
          (m) => app.resolve(m.resource.Properties.FunctionName, m.stack) === fnKeys.get(spec.fn),
        );
        const mapping = located?.resource;
        expect(mapping?.Properties, spec.name).toMatchObject({
          StartingPosition: 'TRIM_HORIZON',
          BatchSize: spec.batchSize ?? 100,
          BisectBatchOnFunctionError: true,
          MaximumRetryAttempts: expect.any(Number),
        });
        expect(JSON.stringify(mapping?.Properties.EventSourceArn)).toMatch(
          new RegExp(`${tableLogicalId}.*StreamArn`),
        );
        // The local poller applies the same patterns: both read them from the manifest.
        const criteria = mapping?.Properties.FilterCriteria as { Filters: { Pattern: string }[] } | undefined;
        expect(
          criteria?.Filters.map((f) => JSON.parse(f.Pattern)),
          spec.name,
        ).toEqual(spec.filters);
        const destination = mapping?.Properties.DestinationConfig as { OnFailure: { Destination: unknown } };
        queueIsEncryptedTlsOnlyDlq(app, destination.OnFailure.Destination, located?.stack ?? root);
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
