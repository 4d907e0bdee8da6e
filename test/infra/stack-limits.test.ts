import { beforeAll, describe, expect, it } from 'vitest';
import type { QuartermasterOptions } from '../../lib/app.ts';
import { contextOf } from '../../lib/constructs/qm-function.ts';
import { MANIFEST, type SystemManifest } from '../../lib/manifest/index.ts';
import { FIXTURE_MANIFEST, FIXTURE_ROOT } from './fixtures/manifest.ts';
import { synthesizeApp } from './support/app.ts';
import type { AppTemplates } from './support/template.ts';

/*
 * CloudFormation refuses a template with more than 500 resources, 200 outputs or 200 parameters,
 * or over 1 MB, and only when deploying. Every stack, nested ones included, keeps headroom below those limits
 * so that the next feature's functions, routes and alarms do not break `cdk deploy --all`.
 */
const MAX_RESOURCES = 450;
// Functions are deployed under fixed names, so the monitoring stack names them as literals and
// needs no output per function (docs/decisions.md, 2026-12-05, fixed function names).
const MAX_OUTPUTS = 180;
const MAX_PARAMETERS = 180;
const MAX_TEMPLATE_BYTES = 800_000;

const CASES: { label: string; manifest: SystemManifest; options: QuartermasterOptions }[] = [
  { label: 'the system manifest', manifest: MANIFEST, options: {} },
  {
    label: 'the fixture manifest',
    manifest: FIXTURE_MANIFEST,
    options: { manifest: FIXTURE_MANIFEST, rootDir: FIXTURE_ROOT },
  },
];

describe.each(CASES)('stacks of the app built from $label', ({ manifest, options }) => {
  let templates: AppTemplates;
  let statelessName: string;

  beforeAll(() => {
    const synthesized = synthesizeApp(options);
    templates = synthesized.templates;
    statelessName = synthesized.stateless.stackName;
  });

  it(`keep every stack, nested ones included, under ${MAX_RESOURCES} resources, ${MAX_OUTPUTS} outputs and parameters, and ${MAX_TEMPLATE_BYTES / 1000} kB`, () => {
    const sizes = [...templates.stacks.values()].map(({ path, template }) => {
      const json = template.toJSON() as Record<string, Record<string, unknown> | undefined>;
      const count = (section: string) => Object.keys(json[section] ?? {}).length;
      return {
        path,
        resources: count('Resources'),
        outputs: count('Outputs'),
        parameters: count('Parameters'),
        // As `cdk synth` writes it; CloudFormation takes at most 1 MB from S3.
        bytes: Buffer.byteLength(JSON.stringify(json, undefined, 1)),
      };
    });
    expect(sizes.length).toBeGreaterThan(3);
    for (const size of sizes) {
      expect(size.resources, size.path).toBeLessThanOrEqual(MAX_RESOURCES);
      expect(size.outputs, size.path).toBeLessThanOrEqual(MAX_OUTPUTS);
      expect(size.parameters, size.path).toBeLessThanOrEqual(MAX_PARAMETERS);
      expect(size.bytes, size.path).toBeLessThanOrEqual(MAX_TEMPLATE_BYTES);
    }
  });

  it("deploys a context's functions in its own nested stack, and those a state machine invokes beside the machines", () => {
    const workflowTasks = new Set(manifest.stateMachines.flatMap((m) => Object.values(m.functions)));
    const stackOf = new Map<string, string>();
    for (const [name, spec] of Object.entries(manifest.functions)) {
      const fn = templates.functionByName(statelessName, name);
      const context = contextOf(spec.entry);
      // A running execution keeps the ARNs it started with: those functions never move.
      if (workflowTasks.has(name)) expect(fn.stack, name).toBe(statelessName);
      else {
        expect(fn.stack, name).not.toBe(statelessName);
        expect(templates.stacks.get(fn.stack)?.parent?.path, name).toBe(statelessName);
        expect(stackOf.get(context) ?? fn.stack, `${name}: one nested stack per context`).toBe(fn.stack);
        stackOf.set(context, fn.stack);
      }
    }
    const nested = [...stackOf.values()];
    expect(new Set(nested).size, 'no two contexts share a nested stack').toBe(nested.length);
  });
});
