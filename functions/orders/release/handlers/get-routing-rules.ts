import { httpHandler, ok } from '#shared/http';
import { releasePorts } from '../adapters/wiring.ts';

const { rulesStore } = releasePorts();

/** GET /api/routing-rules: the active rule set and the latest versions. */
export const handler = httpHandler({}, async () => {
  const [active, versions] = await Promise.all([rulesStore.active(), rulesStore.versions(20)]);
  return ok({
    active,
    versions: versions.map((v) => ({
      version: v.version,
      createdAt: v.createdAt,
      createdBy: v.createdBy,
      note: v.note,
    })),
  });
});
