import { Reference, Stack, Tokenization, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges `AwsSolutions-IAM5` for exactly the given wildcard resources on `scope` (a role
 * or policy), with one reason. cdk-nag 3 identifies each finding as
 * `AwsSolutions-IAM5[Resource::<flattened ARN>]`; the ARN is flattened here with cdk-nag's own
 * function, so the acknowledgement can never cover a different resource than the one named.
 *
 * Only values of `scope`'s own stack can be acknowledged this way: a cross-stack reference is
 * rewritten into an import after construction, so its finding id is not known yet. Resources
 * from the stateful stack carry their wildcard grants there (see `QmStatefulStack`).
 */
export function acknowledgeWildcardResources(
  scope: IConstruct,
  resources: readonly string[],
  reason: string,
): void {
  const stack = Stack.of(scope);
  for (const resource of resources) {
    for (const token of Tokenization.reverseString(resource).tokens) {
      if (Reference.isReference(token) && Stack.of(token.target) !== stack) {
        throw new Error(
          `Cannot acknowledge ${resource} on ${scope.node.path}: it references ${token.target.node.path} in another stack`,
        );
      }
    }
    const flattened = flattenCfnReference(stack.resolve(resource));
    if (!flattened.includes('*')) continue;
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flattened}]`, reason });
  }
}

/** Same as `acknowledgeWildcardResources`, for every resource a grant put in principal policies. */
export function acknowledgeGrantWildcards(scope: IConstruct, grant: iam.Grant, reason: string): void {
  acknowledgeWildcardResources(
    scope,
    grant.principalStatements.flatMap((statement) => statement.resources),
    reason,
  );
}
