import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addQuartermasterStacks, type QuartermasterOptions } from '../../lib/app.ts';
import { FIXTURE_MANIFEST, FIXTURE_ROOT } from './fixtures/manifest.ts';
import { cdkJsonContext, SKIP_BUNDLING } from './support/app.ts';

/*
 * cdk-nag 3 is a policy-validation plugin: it no longer writes findings as annotations, so
 * `Annotations.findError('*', /AwsSolutions-.*\/)` alone would pass vacuously. The pack is run
 * directly on each stack (`validateScope`), and the app is synthesized with the plugin
 * registered, exactly as `bin/app.ts` does, which fails on any unacknowledged finding.
 */

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

function buildApp(options: QuartermasterOptions = {}) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'qm-nag-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { ...cdkJsonContext(), ...SKIP_BUNDLING } });
  return { app, ...addQuartermasterStacks(app, options) };
}

const findingsOf = (scope: IConstruct) =>
  new AwsSolutionsChecks(undefined, { verbose: true })
    .validateScope(scope)
    .violations.filter((v) => v.ruleName.startsWith('AwsSolutions-'))
    .map((v) => ({
      rule: v.ruleName,
      severity: v.severity,
      at: v.violatingResources.map((r) => r.constructPath),
      why: v.description,
    }));

/** Every acknowledgement recorded anywhere in the tree, with its construct path. */
function acknowledgements(scope: IConstruct): { path: string; id: string; reason: string }[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id,
          reason,
        })),
      ),
  );
}

describe.each([
  { label: 'the system manifest', options: {} },
  { label: 'the fixture manifest', options: { manifest: FIXTURE_MANIFEST, rootDir: FIXTURE_ROOT } },
])('cdk-nag AwsSolutions on the app built from $label', ({ options }) => {
  const { app, stateful, stateless, monitoring } = buildApp(options);
  let synthError: unknown;

  beforeAll(() => {
    // As bin/app.ts does. Synthesis also resolves cross-stack references, so the findings
    // below see the policies exactly as they are deployed.
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
    try {
      app.synth();
    } catch (error) {
      synthError = error;
    }
  });

  /** The three stacks and the stateless stack's nested ones (one per bounded context). */
  const allStacks = () => app.node.findAll().filter((c): c is Stack => Stack.isStack(c));

  it('synthesizes with the AwsSolutions plugin registered, as cdk synth does', () => {
    expect(synthError).toBeUndefined();
    // A top-level stack's annotations include those of the stacks nested in it.
    for (const stack of [stateful, stateless, monitoring]) {
      const annotations = Annotations.fromStack(stack);
      expect(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
      expect(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
      // No CDK warning either (deprecated props, unresolved environments, ...).
      expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    }
  });

  it('finds no unacknowledged error or warning in the stateful stack', () => {
    expect(findingsOf(stateful)).toEqual([]);
  });

  it('finds no unacknowledged error or warning in the stateless stack and its nested stacks', () => {
    expect(findingsOf(stateless)).toEqual([]);
  });

  it('finds no unacknowledged error or warning in the monitoring stack', () => {
    expect(findingsOf(monitoring)).toEqual([]);
  });

  it('gives every acknowledgement a specific reason and never acknowledges a whole stack', () => {
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThanOrEqual(40);
      expect(
        allStacks().map((stack) => stack.node.path),
        `${ack.id} at stack level`,
      ).not.toContain(ack.path);
    }
  });

  it('acknowledges wildcard IAM findings one resource (or one wildcard action) at a time', () => {
    const iam5 = acknowledgements(app).filter((a) => a.id.includes('AwsSolutions-IAM5'));
    for (const ack of iam5) expect(ack.id, ack.path).toMatch(/AwsSolutions-IAM5\[(Resource|Action)::.+\]$/);
    expect(acknowledgements(app).filter((a) => /AwsSolutions-IAM5$/.test(a.id))).toEqual([]);
  });
});
