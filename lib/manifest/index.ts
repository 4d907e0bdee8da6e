import { catalog } from './catalog.ts';
import { connectors } from './connectors.ts';
import { finance } from './finance.ts';
import { fulfillment } from './fulfillment.ts';
import { inbound } from './inbound.ts';
import { inventory } from './inventory.ts';
import { orders } from './orders.ts';
import { oversight } from './oversight.ts';
import { planning } from './planning.ts';
import { platform } from './platform.ts';
import { returns } from './returns.ts';
import {
  type ContextManifest,
  type Role,
  type RouteSpec,
  type RuleTargetBatch,
  routeKey,
  type StateMachineSpec,
  type SystemManifest,
} from './types.ts';

export * from './types.ts';

/** Each bounded context declares its own part; adding a context means adding it here. */
const CONTEXTS: readonly ContextManifest[] = [
  platform,
  catalog,
  inventory,
  orders,
  fulfillment,
  inbound,
  returns,
  connectors,
  finance,
  planning,
  oversight,
];

function compose(parts: readonly ContextManifest[]): SystemManifest {
  const manifest: SystemManifest = {
    functions: {},
    routes: [],
    rules: [],
    stateMachines: [],
    schedules: [],
    streams: [],
  };
  for (const part of parts) {
    for (const [name, spec] of Object.entries(part.functions)) {
      if (manifest.functions[name]) throw new Error(`Function ${name} is declared twice`);
      manifest.functions[name] = spec;
    }
    (manifest.routes as RouteSpec[]).push(...(part.routes ?? []));
    (manifest.rules as SystemManifest['rules'][number][]).push(...(part.rules ?? []));
    (manifest.stateMachines as StateMachineSpec[]).push(...(part.stateMachines ?? []));
    (manifest.schedules as SystemManifest['schedules'][number][]).push(...(part.schedules ?? []));
    (manifest.streams as SystemManifest['streams'][number][]).push(...(part.streams ?? []));
  }
  validate(manifest);
  return manifest;
}

/** Fails at load time on dangling references, so neither CDK nor the local runtime starts broken. */
function validate(m: SystemManifest): void {
  const fn = (name: string, where: string) => {
    if (!m.functions[name]) throw new Error(`${where} refers to unknown function ${name}`);
  };
  const keys = new Set<string>();
  for (const route of m.routes) {
    const key = routeKey(route);
    if (keys.has(key)) throw new Error(`Route ${key} is declared twice`);
    keys.add(key);
    if ('fn' in route) fn(route.fn, `Route ${key}`);
    else if (!route.path.startsWith('/local/'))
      throw new Error(`Runtime route ${key} must live under /local/`);
    if (route.path.startsWith('/local/') && !('public' in route.auth && route.auth.public === 'local-only')) {
      throw new Error(`Route ${key} is under /local/ and must be local-only`);
    }
    if (route.path.startsWith('/api/') && !('roles' in route.auth && route.auth.roles.length > 0)) {
      throw new Error(`Route ${key} must declare at least one role`);
    }
  }
  const machines = new Set(m.stateMachines.map((s) => s.name));
  for (const rule of m.rules) {
    if ('fn' in rule.target) {
      fn(rule.target.fn, `Rule ${rule.name}`);
      if (rule.target.batch) validateBatch(rule.name, rule.target.batch);
    } else if (!machines.has(rule.target.stateMachine)) {
      throw new Error(`Rule ${rule.name} targets unknown state machine ${rule.target.stateMachine}`);
    }
  }
  for (const sm of m.stateMachines)
    for (const f of Object.values(sm.functions)) fn(f, `State machine ${sm.name}`);
  for (const s of m.schedules) fn(s.fn, `Schedule ${s.name}`);
  for (const s of m.streams) fn(s.fn, `Stream consumer ${s.name}`);
  for (const [name, spec] of Object.entries(m.functions)) {
    for (const w of spec.startsWorkflows ?? []) {
      if (!machines.has(w)) throw new Error(`Function ${name} starts unknown state machine ${w}`);
    }
  }
}

/** The limits of an SQS event source mapping on a standard queue. */
function validateBatch(rule: string, batch: RuleTargetBatch): void {
  const { size, windowSeconds } = batch;
  if (!Number.isInteger(size) || size < 1 || size > 10_000) {
    throw new Error(`Rule ${rule}: batch size must be an integer from 1 to 10,000`);
  }
  if (!Number.isInteger(windowSeconds) || windowSeconds < 0 || windowSeconds > 300) {
    throw new Error(`Rule ${rule}: batch window must be whole seconds from 0 to 300`);
  }
  if (size > 10 && windowSeconds < 1) {
    throw new Error(`Rule ${rule}: a batch of more than 10 needs a window of at least 1 s`);
  }
}

export const MANIFEST: SystemManifest = compose(CONTEXTS);

const ROUTES_BY_KEY = new Map(MANIFEST.routes.map((r) => [routeKey(r), r]));

/**
 * What the HTTP wrapper enforces, as the `QM_ROUTE_ROLES` value: route key → the roles it
 * allows, or `"public"`. CDK gives each function its own routes; the local runtime all of them.
 */
export function routeRolesTable(routes: readonly RouteSpec[]): Record<string, readonly Role[] | 'public'> {
  return Object.fromEntries(
    routes.map((route) => [routeKey(route), 'roles' in route.auth ? route.auth.roles : 'public']),
  );
}

export function routeByKey(key: string): RouteSpec | undefined {
  return ROUTES_BY_KEY.get(key);
}
