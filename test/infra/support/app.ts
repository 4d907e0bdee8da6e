import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addQuartermasterStacks, type QuartermasterOptions, type QuartermasterStacks } from '../../../lib/app.ts';
import { REPO_ROOT } from '../../../lib/paths.ts';

/** The feature flags from cdk.json, so tests synthesize exactly what `cdk synth` does. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

export interface SynthesizedApp extends QuartermasterStacks {
  readonly app: App;
  readonly statefulTemplate: Template;
  readonly statelessTemplate: Template;
}

/**
 * Builds the app as `bin/app.ts` does, but with `aws:cdk:bundling-stacks: []`: every asset is
 * staged as-is instead of running esbuild for each handler, which keeps a synth under seconds.
 * The templates are identical apart from asset hashes.
 */
export function synthesizeApp(options: QuartermasterOptions & { context?: Record<string, unknown> } = {}): SynthesizedApp {
  const { context, ...stackOptions } = options;
  const app = new App({
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context },
  });
  const stacks = addQuartermasterStacks(app, stackOptions);
  return {
    app,
    ...stacks,
    statefulTemplate: Template.fromStack(stacks.stateful),
    statelessTemplate: Template.fromStack(stacks.stateless),
  };
}

/** Runs AwsSolutionsChecks on one stack and returns the unacknowledged findings. */
export function nagFindings(app: App, scope: import('constructs').IConstruct) {
  void app;
  const pack = new AwsSolutionsChecks(undefined, { verbose: true });
  return pack.validateScope(scope).violations;
}

export { Validations };
