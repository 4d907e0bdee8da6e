import { synthesizeApp, nagFindings } from './support/app.ts';
import { FIXTURE_MANIFEST, FIXTURE_ROOT } from './fixtures/manifest.ts';
const s = synthesizeApp({ manifest: FIXTURE_MANIFEST, rootDir: FIXTURE_ROOT });
for (const stack of [s.stateless]) {
  const v = nagFindings(s.app, stack);
  console.log(stack.stackName, JSON.stringify(v.map(x => ({r: x.ruleName, sev: x.severity, at: x.violatingResources.map(r => r.constructPath)})), null, 1));
}
import { writeFileSync } from 'node:fs';
writeFileSync('/tmp/fixture.json', JSON.stringify(s.statelessTemplate.toJSON(), null, 1));
