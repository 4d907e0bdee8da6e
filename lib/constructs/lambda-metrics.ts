import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** A function known by its literal deployed name (every `QmFunction`). */
export interface NamedFunction {
  readonly deployedName: string;
}

/**
 * A Lambda metric with the function's name as a literal dimension. `fn.metricErrors()` would name
 * it through a token, which in another stack (monitoring) becomes one cross-stack output per
 * function; the stacks' output limit (200) would then cap how many functions the app can have.
 */
export function lambdaMetric(
  fn: NamedFunction,
  metricName: 'Errors' | 'Throttles' | 'Duration' | 'IteratorAge',
  options: cloudwatch.MetricOptions,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Lambda',
    metricName,
    dimensionsMap: { FunctionName: fn.deployedName },
    ...options,
  });
}
