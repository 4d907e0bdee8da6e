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
 * A resource of another stack (a context's nested stack, the stateful stack) is referenced
 * through a parameter, an output or an import that CDK writes only when the app is prepared for
 * synthesis, so its finding id is not known at construction. Such acknowledgements are made at
 * validation, which runs after references are resolved and before the policy-validation plugins
 * (cdk-nag) read the acknowledgements: the id is then exactly what cdk-nag sees.
 */
export function acknowledgeWildcardResources(
  scope: IConstruct,
  resources: readonly string[],
  reason: string,
): void {
  const stack = Stack.of(scope);
  const acknowledge = () => {
    for (const resource of resources) {
      const flattened = flattenCfnReference(stack.resolve(resource));
      if (!flattened.includes('*')) continue;
      Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flattened}]`, reason });
    }
  };
  const crossStack = resources.some((resource) =>
    Tokenization.reverseString(resource).tokens.some(
      (token) => Reference.isReference(token) && Stack.of(token.target) !== stack,
    ),
  );
  if (!crossStack) {
    acknowledge();
    return;
  }
  let acknowledged = false;
  scope.node.addValidation({
    validate: () => {
      // Validation may run more than once (every synth); one acknowledgement is enough.
      if (!acknowledged) acknowledge();
      acknowledged = true;
      return [];
    },
  });
}

/** Same as `acknowledgeWildcardResources`, for every resource a grant put in principal policies. */
export function acknowledgeGrantWildcards(scope: IConstruct, grant: iam.Grant, reason: string): void {
  acknowledgeWildcardResources(
    scope,
    grant.principalStatements.flatMap((statement) => statement.resources),
    reason,
  );
}
