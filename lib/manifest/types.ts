/**
 * The system manifest: one description of Quartermaster that both the CDK stacks and the
 * local runtime read. Nothing here imports aws-cdk-lib, so the local runtime and Lambda-free
 * tests can load it cheaply. Drift between AWS and local is impossible because neither side
 * keeps its own copy of routes, rules, workflows or schedules.
 */

import type { Role } from '../../functions/shared/roles.ts';

// Roles and env names belong to the kernel (Lambda code reads them without the manifest);
// the deployer, the local runtime and the console read them through here.
export { stateMachineArnEnv } from '../../functions/shared/env.ts';
export { ROLES, type Role } from '../../functions/shared/roles.ts';

/** Table access a function is granted; `RW` includes `R`. */
export type TableAccess = 'R' | 'RW';

export interface FunctionSpec {
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  /** Access to the single table. @default none */
  table?: TableAccess;
  /** May PutEvents on the erp bus. @default false */
  publishes?: boolean;
  /** State machines (by manifest name) it may start or describe. @default [] */
  startsWorkflows?: readonly string[];
  /** May call SendTaskSuccess/Failure/Heartbeat (human steps). @default false */
  completesTasks?: boolean;
  /** Access to the exports bucket. @default none */
  exportsBucket?: 'R' | 'RW';
  /** May read the channel secrets (SSM SecureString on AWS, `.data/` locally). @default false */
  readsSecrets?: boolean;
  /** May create and rotate those secrets (SSM PutParameter SecureString; `.data/` locally). @default false */
  writesSecrets?: boolean;
  /** May describe the table, the bus and every state machine (the health check). @default false */
  probesHealth?: boolean;
  /** @default 10 */
  timeoutSeconds?: number;
  /** @default 512 */
  memoryMb?: number;
  /**
   * How soon its event-driven work matters, for a runtime where every function shares a few
   * CPUs (the local one): `order-flow` work (an order on its way to released, stock on its way
   * to the channels) is served first, `bookkeeping` (journal, postings, planning and KPI inputs)
   * when nothing more urgent waits. On AWS every function has its own capacity and this is unused.
   * @default 'normal'
   */
  urgency?: 'order-flow' | 'normal' | 'bookkeeping';
}

/** Who may call a route. Every `/api/*` route must name roles; only health and webhooks are public. */
export type RouteAuth =
  | { roles: readonly Role[] }
  /** Unauthenticated: health checks, and webhooks that verify their own signatures. */
  | { public: 'health' | 'webhook' | 'local-only' };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RouteBase {
  method: HttpMethod;
  /** API Gateway path template, e.g. `/api/inventory/{sku}`. */
  path: string;
}

/** A route served by a manifest function: API Gateway on AWS, the local gateway on this machine. */
export interface FunctionRouteSpec extends RouteBase {
  fn: string;
  auth: RouteAuth;
}

/**
 * What the local runtime serves by itself under `/local/*`: the AWS stand-ins a developer or a
 * test drives (event injection, the sign-in stand-in, workflow views). Never deployed.
 */
export const RUNTIME_ENDPOINTS = [
  'put-events',
  'list-events',
  'list-dead-letters',
  'signing-keys',
  'issue-token',
  'list-executions',
] as const;
export type RuntimeEndpoint = (typeof RUNTIME_ENDPOINTS)[number];

export interface RuntimeRouteSpec extends RouteBase {
  runtime: RuntimeEndpoint;
  auth: { public: 'local-only' };
}

export type RouteSpec = FunctionRouteSpec | RuntimeRouteSpec;

export type RuleTarget =
  | { fn: string; batch?: RuleTargetBatch }
  /** Starts the named state machine with the whole event as input. */
  | { stateMachine: string };

/**
 * Deliver a function target's events in batches instead of one per invocation: on AWS the rule
 * targets an SQS queue the function consumes (an event source mapping with this size and window,
 * partial batch responses on); the local bus gathers events the same way. The handler receives
 * `{ Records: [...] }` in SQS shape, each `body` one event as EventBridge delivers it, and answers
 * `{ batchItemFailures }` for the messages to retry.
 */
export interface RuleTargetBatch {
  /** Events per invocation, 1–10,000 (above 10 needs a window of at least 1 s). */
  size: number;
  /** The longest Lambda gathers a batch before it invokes, 0–300 s. */
  windowSeconds: number;
}

export interface RuleSpec {
  name: string;
  description: string;
  /** An EventBridge event pattern; the bus name is added by the deployer. */
  pattern: Record<string, unknown>;
  target: RuleTarget;
}

export interface StateMachineSpec {
  /** kebab-case; the ASL file is `statemachines/<name>.asl.json`. */
  name: string;
  description: string;
  /** `${Placeholder}` in the ASL → function name (its ARN is substituted). */
  functions: Record<string, string>;
}

export interface ScheduleSpec {
  name: string;
  description: string;
  /** `rate(N minutes|hours|days)` or `cron(...)` as EventBridge Scheduler takes it. */
  expression: string;
  fn: string;
}

export interface StreamConsumerSpec {
  name: string;
  description: string;
  fn: string;
  /** @default 100 */
  batchSize?: number;
  /**
   * The mapping's FilterCriteria: event patterns matched against each stream record as Lambda
   * receives it (`{ dynamodb: { Keys, NewImage, ... }, eventName }`). A record is delivered when
   * it matches any of them; the others are passed over without an invocation (and not billed on
   * AWS). Without filters, every record is delivered.
   */
  filters?: readonly Record<string, unknown>[];
}

export interface ContextManifest {
  functions: Record<string, FunctionSpec>;
  routes?: readonly RouteSpec[];
  rules?: readonly RuleSpec[];
  stateMachines?: readonly StateMachineSpec[];
  schedules?: readonly ScheduleSpec[];
  streams?: readonly StreamConsumerSpec[];
}

export interface SystemManifest {
  functions: Record<string, FunctionSpec>;
  routes: readonly RouteSpec[];
  rules: readonly RuleSpec[];
  stateMachines: readonly StateMachineSpec[];
  schedules: readonly ScheduleSpec[];
  streams: readonly StreamConsumerSpec[];
}

/** The route key as API Gateway v2 writes it into `event.routeKey`. */
export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;

export const stateMachineFile = (name: string): string => `statemachines/${name}.asl.json`;
