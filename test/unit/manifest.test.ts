import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST, routeByKey } from '../../lib/manifest/index.ts';
import { ROLES, routeKey } from '../../lib/manifest/types.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('system manifest', () => {
  it('declares at least one known role on every /api route, so no route is open', () => {
    const apiRoutes = MANIFEST.routes.filter((r) => r.path.startsWith('/api/'));
    expect(apiRoutes.length).toBeGreaterThan(0);
    for (const route of apiRoutes) {
      expect('roles' in route.auth, `${routeKey(route)} must declare roles`).toBe(true);
      const roles = 'roles' in route.auth ? route.auth.roles : [];
      expect(roles.length, `${routeKey(route)} has no roles`).toBeGreaterThan(0);
      for (const role of roles) expect(ROLES).toContain(role);
    }
  });

  it('leaves only health, signature-verified webhooks and the local runtime’s own endpoints public', () => {
    const open = MANIFEST.routes.filter((r) => 'public' in r.auth);
    for (const route of open) {
      const kind = 'public' in route.auth ? route.auth.public : undefined;
      if (kind === 'health') expect(route.path).toBe('/health');
      else if (kind === 'local-only') expect(route.path.startsWith('/local/'), routeKey(route)).toBe(true);
      else expect(route.path.startsWith('/webhooks/'), `${routeKey(route)} is public`).toBe(true);
    }
  });

  it('declares every /local/* endpoint as local-only, so none is ever deployed', () => {
    const local = MANIFEST.routes.filter((r) => r.path.startsWith('/local/'));
    expect(local.length).toBeGreaterThan(0);
    for (const route of local) expect(route.auth, routeKey(route)).toEqual({ public: 'local-only' });
  });

  it('points every function at a handler file that exists', () => {
    for (const [name, spec] of Object.entries(MANIFEST.functions)) {
      expect(existsSync(path.join(root, spec.entry)), `${name}: ${spec.entry}`).toBe(true);
    }
  });

  it('has an ASL file for every state machine', () => {
    for (const sm of MANIFEST.stateMachines) {
      expect(existsSync(path.join(root, 'statemachines', `${sm.name}.asl.json`)), sm.name).toBe(true);
    }
  });

  it('finds routes by the route key API Gateway puts in the event', () => {
    const route = MANIFEST.routes[0];
    expect(route).toBeDefined();
    if (route) expect(routeByKey(routeKey(route))).toBe(route);
    expect(routeByKey('GET /nowhere')).toBeUndefined();
  });
});
