import { byRoute } from '../adapters/routes.ts';
import { reads } from '../routes/reads.ts';
import { requestRun } from '../routes/request-run.ts';
import { settingsWrites } from '../routes/settings.ts';
import { uploadDemandHistory } from '../routes/upload-demand-history.ts';

/**
 * Every planning route in one function (each route its own httpHandler in routes/, authorized,
 * validated and audited as if it were alone): the stateless stack has room for few more
 * functions (docs/decisions.md).
 */
export const handler = byRoute({
  'POST /api/planning/demand-history': uploadDemandHistory,
  'POST /api/planning/runs': requestRun,
  ...reads,
  ...settingsWrites,
});
