import type { Template } from 'aws-cdk-lib/assertions';
import { CONTEXT_TAG, FUNCTION_TAG } from '../../../lib/constructs/qm-function.ts';

/** A CloudFormation resource as it appears in a synthesized template. */
export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string[];
}

export type Resources = Record<string, CfnResource>;

export const resourcesOf = (template: Template, type: string): Resources =>
  template.findResources(type) as Resources;

/** `{ Ref: X }` or `{ 'Fn::GetAtt': [X, ...] }` → `X`; anything else → undefined. */
export function logicalIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown };
  if (typeof v.Ref === 'string') return v.Ref;
  if (Array.isArray(v['Fn::GetAtt']) && typeof v['Fn::GetAtt'][0] === 'string') return v['Fn::GetAtt'][0];
  return undefined;
}

function tagsOf(resource: CfnResource): Record<string, string> {
  const tags = resource.Properties.Tags;
  if (!Array.isArray(tags)) return {};
  return Object.fromEntries((tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]));
}

interface DeployedFunction {
  logicalId: string;
  name: string | undefined;
  context: string | undefined;
  resource: CfnResource;
  env: Record<string, unknown>;
}

/** Every Lambda function of a template with the manifest name `QmFunction` tags it with. */
function deployedFunctions(template: Template): DeployedFunction[] {
  return Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).map(([logicalId, resource]) => {
    const tags = tagsOf(resource);
    const env = (resource.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables;
    return {
      logicalId,
      name: tags[FUNCTION_TAG],
      context: tags[CONTEXT_TAG],
      resource,
      env: env ?? {},
    };
  });
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

export const actionsOf = (statements: Statement[]): Set<string> =>
  new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => asArray(s.Action)));

/**
 * A resource named by its stack's path and its logical id: `Quartermaster-dev-Stateless/QueueX`,
 * or in a nested stack `Quartermaster-dev-Stateless/OrdersService/PutChannelX`.
 */
export type ResourceKey = `${string}/${string}`;

/** One synthesized stack; a nested stack also says where its parent declares it. */
export interface StackTemplate {
  /** Construct path; a top-level stack's path is its name. */
  readonly path: string;
  readonly template: Template;
  readonly parent?: { readonly path: string; readonly resourceId: string };
}

/** A resource of some stack, with the key references to it resolve to. */
interface LocatedResource {
  readonly key: ResourceKey;
  /** Path of the stack whose template holds it. */
  readonly stack: string;
  readonly logicalId: string;
  readonly resource: CfnResource;
}

interface LocatedFunction extends DeployedFunction {
  readonly key: ResourceKey;
  readonly stack: string;
  readonly roleKey: ResourceKey | undefined;
}

type TemplateJson = {
  Parameters?: Record<string, unknown>;
  Outputs?: Record<string, { Value: unknown }>;
  Resources?: Resources;
};

/**
 * Every template of a synthesized app, nested stacks included, with references followed across
 * them the way CloudFormation does: a nested stack's parameter to the value its parent passes, a
 * parent's `Outputs.X` of a nested stack to that output, and `Fn::GetStackOutput` to the producer.
 */
export class AppTemplates {
  readonly stacks: ReadonlyMap<string, StackTemplate>;
  /** `<parent path>/<nested stack resource id>` → nested stack path. */
  private readonly nestedByResource = new Map<string, string>();

  constructor(stacks: readonly StackTemplate[]) {
    this.stacks = new Map(stacks.map((s) => [s.path, s]));
    for (const s of stacks) {
      if (s.parent) this.nestedByResource.set(`${s.parent.path}/${s.parent.resourceId}`, s.path);
    }
  }

  private json(path: string): TemplateJson {
    const stack = this.stacks.get(path);
    if (!stack) throw new Error(`No template for stack ${path}`);
    return stack.template.toJSON() as TemplateJson;
  }

  /** The stack at `root` and every stack nested in it, as CloudFormation deploys them together. */
  family(root: string): StackTemplate[] {
    return [...this.stacks.values()].filter((s) => s.path === root || s.path.startsWith(`${root}/`));
  }

  /** Resources of `type` in the stack at `root` and its nested stacks (`root` omitted: every stack). */
  resources(type: string, root?: string): LocatedResource[] {
    const stacks = root === undefined ? [...this.stacks.values()] : this.family(root);
    return stacks.flatMap((s) =>
      Object.entries(resourcesOf(s.template, type)).map(([logicalId, resource]) => ({
        key: `${s.path}/${logicalId}` as ResourceKey,
        stack: s.path,
        logicalId,
        resource,
      })),
    );
  }

  resource(key: ResourceKey): CfnResource | undefined {
    const at = key.lastIndexOf('/');
    return this.json(key.slice(0, at)).Resources?.[key.slice(at + 1)];
  }

  /** The resource a value in the stack at `at` points at, followed across stacks; else undefined. */
  resolve(value: unknown, at: string): ResourceKey | undefined {
    // Functions are deployed under fixed names, so other stacks name them as plain strings.
    if (typeof value === 'string') return this.functionNamed(value);
    if (typeof value !== 'object' || value === null) return undefined;
    const v = value as {
      Ref?: unknown;
      'Fn::GetAtt'?: unknown;
      'Fn::GetStackOutput'?: { StackName?: unknown; OutputName?: unknown };
    };
    if (typeof v.Ref === 'string') {
      const stack = this.stacks.get(at);
      if (stack?.parent && this.json(at).Parameters?.[v.Ref] !== undefined) {
        const declaration = this.json(stack.parent.path).Resources?.[stack.parent.resourceId];
        const passed = (declaration?.Properties.Parameters as Record<string, unknown> | undefined)?.[v.Ref];
        return this.resolve(passed, stack.parent.path);
      }
      return `${at}/${v.Ref}`;
    }
    const getAtt = v['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
      const [id, attribute] = getAtt as [string, unknown];
      const nested = this.nestedByResource.get(`${at}/${id}`);
      if (nested && typeof attribute === 'string' && attribute.startsWith('Outputs.')) {
        return this.resolve(this.json(nested).Outputs?.[attribute.slice('Outputs.'.length)]?.Value, nested);
      }
      return `${at}/${id}`;
    }
    const output = v['Fn::GetStackOutput'];
    if (typeof output?.StackName === 'string' && typeof output.OutputName === 'string') {
      if (!this.stacks.has(output.StackName)) return undefined;
      return this.resolve(this.json(output.StackName).Outputs?.[output.OutputName]?.Value, output.StackName);
    }
    return undefined;
  }

  /** The function deployed under the literal name `name`, in any stack. */
  private functionNamed(name: string): ResourceKey | undefined {
    const found = this.resources('AWS::Lambda::Function').filter(
      (r) => r.resource.Properties.FunctionName === name,
    );
    return found.length === 1 ? found[0]?.key : undefined;
  }

  /** Every Lambda function in the stack at `root` and its nested stacks, with its manifest name. */
  functions(root: string): LocatedFunction[] {
    return this.family(root).flatMap((s) =>
      deployedFunctions(s.template).map((fn) => ({
        ...fn,
        key: `${s.path}/${fn.logicalId}` as ResourceKey,
        stack: s.path,
        roleKey: this.resolve(fn.resource.Properties.Role, s.path),
      })),
    );
  }

  functionByName(root: string, name: string): LocatedFunction {
    const found = this.functions(root).filter((f) => f.name === name);
    if (found.length !== 1) throw new Error(`Expected one function tagged ${name}, found ${found.length}`);
    return found[0] as LocatedFunction;
  }

  /** The statements of every inline policy attached to the role, in any stack, and of its managed policies. */
  statementsOfRole(role: ResourceKey): Statement[] {
    const statements: Statement[] = [];
    for (const policy of this.resources('AWS::IAM::Policy')) {
      const roles = asArray(policy.resource.Properties.Roles as unknown[]).map((r) =>
        this.resolve(r, policy.stack),
      );
      if (!roles.includes(role)) continue;
      statements.push(...(policy.resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    }
    const stack = role.slice(0, role.lastIndexOf('/'));
    for (const arn of asArray(this.resource(role)?.Properties.ManagedPolicyArns as unknown[])) {
      const managed = this.resolve(arn, stack);
      const policy = managed && this.resource(managed);
      if (policy?.Type === 'AWS::IAM::ManagedPolicy') {
        statements.push(...(policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
      }
    }
    return statements;
  }
}
