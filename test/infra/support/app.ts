import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, type CfnResource, type NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  addQuartermasterStacks,
  type QuartermasterOptions,
  type QuartermasterStacks,
} from '../../../lib/app.ts';
import { REPO_ROOT } from '../../../lib/paths.ts';
import { AppTemplates, type StackTemplate } from './template.ts';

/** The context of cdk.json (feature flags), so tests synthesize what `cdk synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/**
 * `aws:cdk:bundling-stacks: []` tells every asset to skip bundling: NodejsFunction stages its
 * source directory as-is instead of running esbuild per handler, which turns a ~30 s synth into
 * a few seconds. Templates are identical apart from asset hashes; `cdk synth` covers bundling.
 */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

export function newApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJsonContext(), ...SKIP_BUNDLING, ...context } });
}

export interface SynthesizedApp extends QuartermasterStacks {
  readonly app: App;
  readonly statefulTemplate: Template;
  readonly statelessTemplate: Template;
  readonly monitoringTemplate: Template;
  /** Every template, nested stacks included, with references followed across them. */
  readonly templates: AppTemplates;
}

/** Every stack of the app, nested ones included, synthesized. */
export function templatesOf(app: App): AppTemplates {
  const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  return new AppTemplates(
    stacks.map((stack): StackTemplate => {
      const parent = stack.nestedStackParent;
      const declaration = (stack as NestedStack).nestedStackResource as CfnResource | undefined;
      return {
        path: stack.node.path,
        template: Template.fromStack(stack),
        ...(parent && declaration
          ? {
              parent: { path: parent.node.path, resourceId: parent.resolve(declaration.logicalId) as string },
            }
          : {}),
      };
    }),
  );
}

/** Builds the app as `bin/app.ts` does (minus cdk-nag, see nag.test.ts) and synthesizes every stack. */
export function synthesizeApp(
  options: QuartermasterOptions & { context?: Record<string, unknown> } = {},
): SynthesizedApp {
  const { context, ...stackOptions } = options;
  const app = newApp(context);
  const stacks = addQuartermasterStacks(app, stackOptions);
  return {
    app,
    ...stacks,
    statefulTemplate: Template.fromStack(stacks.stateful),
    statelessTemplate: Template.fromStack(stacks.stateless),
    monitoringTemplate: Template.fromStack(stacks.monitoring),
    templates: templatesOf(app),
  };
}
