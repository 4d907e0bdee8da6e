import { NestedStack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env.ts';
import { routeRolesTable } from '../manifest/index.ts';
import type { FunctionSpec, RouteSpec } from '../manifest/types.ts';
import { toPascal } from '../naming.ts';
import { isDeployed } from './http-api.ts';
import { type BucketWithAccessPolicies, contextOf, QmFunction } from './qm-function.ts';

/** The stateful resources a function can be bound to. */
export interface ServiceResources {
  readonly stage: string;
  readonly table: dynamodb.ITable;
  readonly bus: events.IEventBus;
  readonly exportsBucket: BucketWithAccessPolicies;
}

export interface ContextServiceProps extends ServiceResources {
  /** The folder under `functions/`, e.g. `inventory`. */
  readonly context: string;
  /** This context's functions, by manifest name. */
  readonly functions: Readonly<Record<string, FunctionSpec>>;
  /** Every route of the system; each function is told the roles of its own. @default none */
  readonly routes?: readonly RouteSpec[];
  /**
   * Functions a state machine invokes (manifest names). They stay in the parent stack with the
   * machines; every other function goes to the context's nested stack. @default none
   */
  readonly workflowTasks?: ReadonlySet<string>;
  /**
   * Directory the specs' entries are relative to.
   * @default the repository root
   */
  readonly rootDir?: string;
}

/**
 * One bounded context on AWS: its Lambda functions, each bound to exactly what its
 * `FunctionSpec` asks for. Data-plane bindings (table, bus, bucket, secrets) happen here;
 * workflow bindings wait for the state machines, which in turn need these functions' ARNs.
 *
 * The functions live in a nested stack of the context (`<Context>Service/Functions`): each
 * brings four resources (function, role, policy, log group), and one template holding every
 * context's would pass CloudFormation's 500. The parent refers to them as usual; CDK turns those
 * references into the nested stack's outputs and the parent's queues into its parameters.
 *
 * The exception is a function a state machine invokes: it stays in the parent, beside the
 * machines, at the path it always had. A Standard execution keeps the definition it started
 * with, ARNs included, for as long as it waits (an order on hold: up to 21 days); a function that
 * moved between stacks is a new function, and the old one, deleted, would fail every execution
 * that resumes.
 */
export class ContextService extends Construct {
  readonly context: string;
  /** Manifest name → function. */
  readonly functions: ReadonlyMap<string, QmFunction>;
  private readonly specs: Readonly<Record<string, FunctionSpec>>;
  private readonly resources: ServiceResources;

  constructor(scope: Construct, id: string, props: ContextServiceProps) {
    super(scope, id);
    const workflowTasks = props.workflowTasks ?? new Set<string>();
    // Holds the functions no state machine invokes (none if there are none).
    const functionStack = Object.keys(props.functions).some((name) => !workflowTasks.has(name))
      ? new NestedStack(this, 'Functions', {
          description: `Quartermaster ${props.stage}: the ${props.context} context's functions, their roles and log groups`,
        })
      : undefined;
    this.context = props.context;
    this.specs = props.functions;
    this.resources = props;
    const functions = new Map<string, QmFunction>();
    for (const [name, spec] of Object.entries(props.functions)) {
      if (contextOf(spec.entry) !== props.context) {
        throw new Error(`Function ${name} (${spec.entry}) does not belong to context ${props.context}`);
      }
      const home = workflowTasks.has(name) ? this : (functionStack ?? this);
      const fn = new QmFunction(home, toPascal(name), {
        name,
        stage: props.stage,
        spec,
        rootDir: props.rootDir,
      });
      if (spec.table) fn.bindTable(props.table, spec.table);
      if (spec.publishes) fn.bindBus(props.bus);
      if (spec.exportsBucket) fn.bindBucket(props.exportsBucket, spec.exportsBucket);
      if (spec.readsSecrets || spec.writesSecrets)
        fn.bindSecrets(props.stage, { write: spec.writesSecrets === true });
      const ownRoutes = (props.routes ?? []).filter((route) => isDeployed(route) && route.fn === name);
      if (ownRoutes.length > 0) fn.addEnvironment(ENV.routeRoles, JSON.stringify(routeRolesTable(ownRoutes)));
      functions.set(name, fn);
    }
    this.functions = functions;
  }

  /** Binds `startsWorkflows`, `completesTasks` and `probesHealth` once the state machines exist. */
  bindWorkflows(machines: ReadonlyMap<string, sfn.IStateMachine>): void {
    for (const [name, fn] of this.functions) {
      const spec = this.specs[name];
      if (!spec) continue;
      for (const workflow of spec.startsWorkflows ?? []) {
        const machine = machines.get(workflow);
        if (!machine) throw new Error(`Function ${name} starts unknown state machine ${workflow}`);
        fn.bindWorkflow(workflow, machine);
      }
      if (spec.completesTasks) fn.bindTaskCompletion([...machines.values()]);
      if (spec.probesHealth) fn.bindHealthProbe(this.resources.table, this.resources.bus, machines);
    }
  }
}

/** Splits the manifest's functions by bounded context (the folder under `functions/`). */
export function groupByContext(
  functions: Readonly<Record<string, FunctionSpec>>,
): Map<string, Record<string, FunctionSpec>> {
  const groups = new Map<string, Record<string, FunctionSpec>>();
  for (const [name, spec] of Object.entries(functions)) {
    const context = contextOf(spec.entry);
    const group = groups.get(context) ?? {};
    group[name] = spec;
    groups.set(context, group);
  }
  return groups;
}
