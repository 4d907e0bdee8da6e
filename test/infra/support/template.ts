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

export interface DeployedFunction {
  logicalId: string;
  name: string | undefined;
  context: string | undefined;
  resource: CfnResource;
  env: Record<string, unknown>;
  roleLogicalId: string | undefined;
}

/** Every Lambda function of a template with the manifest name `QmFunction` tags it with. */
export function deployedFunctions(template: Template): DeployedFunction[] {
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
      roleLogicalId: logicalIdOf(resource.Properties.Role),
    };
  });
}

export function functionByName(template: Template, name: string): DeployedFunction {
  const found = deployedFunctions(template).filter((f) => f.name === name);
  if (found.length !== 1) throw new Error(`Expected one function tagged ${name}, found ${found.length}`);
  return found[0] as DeployedFunction;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/**
 * The statements a role gets from inline policies in its own template, plus the statements of
 * managed policies it attaches that are defined in `otherTemplates` (the stateful stack's
 * exports-bucket policies).
 */
export function statementsOfRole(
  template: Template,
  roleLogicalId: string,
  otherTemplates: Template[] = [],
): Statement[] {
  const statements: Statement[] = [];
  for (const policy of Object.values(resourcesOf(template, 'AWS::IAM::Policy'))) {
    const roles = asArray(policy.Properties.Roles as unknown[]).map(logicalIdOf);
    if (!roles.includes(roleLogicalId)) continue;
    const doc = policy.Properties.PolicyDocument as { Statement: Statement[] };
    statements.push(...doc.Statement);
  }
  const role = resourcesOf(template, 'AWS::IAM::Role')[roleLogicalId];
  for (const arn of asArray(role?.Properties.ManagedPolicyArns as unknown[])) {
    for (const managed of managedPoliciesReferencedBy(arn, [template, ...otherTemplates])) {
      statements.push(...(managed.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    }
  }
  return statements;
}

/**
 * A managed policy ARN in the consumer is `{ Ref }` (same stack) or an import/stack output whose
 * name embeds the producer's logical id; match on that id.
 */
function managedPoliciesReferencedBy(arn: unknown, templates: Template[]): CfnResource[] {
  const serialized = JSON.stringify(arn);
  const found: CfnResource[] = [];
  for (const template of templates) {
    for (const [logicalId, policy] of Object.entries(resourcesOf(template, 'AWS::IAM::ManagedPolicy'))) {
      if (serialized.includes(logicalId)) found.push(policy);
    }
  }
  return found;
}

export const actionsOf = (statements: Statement[]): Set<string> =>
  new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => asArray(s.Action)));

/** A resource named by its stack and logical id: `Quartermaster-dev-Stateless/QueueX`. */
export type ResourceKey = `${string}/${string}`;

/**
 * The resource a value points at, across stacks: `{ Ref }` and `{ Fn::GetAtt }` in `stackName`'s
 * own template, or `{ Fn::GetStackOutput }` (a weak cross-stack reference) followed to the output
 * of the producing stack in `templates` (stack name → template). Anything else → undefined.
 */
export function resolveReference(
  value: unknown,
  stackName: string,
  templates: ReadonlyMap<string, Template>,
): ResourceKey | undefined {
  const local = logicalIdOf(value);
  if (local) return `${stackName}/${local}`;
  const output = (value as { 'Fn::GetStackOutput'?: { StackName?: unknown; OutputName?: unknown } } | null)?.[
    'Fn::GetStackOutput'
  ];
  if (typeof output?.StackName !== 'string' || typeof output.OutputName !== 'string') return undefined;
  const producer = templates.get(output.StackName);
  const outputs = producer?.toJSON().Outputs as Record<string, { Value: unknown }> | undefined;
  const produced = outputs?.[output.OutputName];
  return produced ? resolveReference(produced.Value, output.StackName, templates) : undefined;
}
