import { API_ROUTES } from 'virtual:qm-routes';
import type { Role } from './identity.ts';

/**
 * What a role may do, from the API's own route table: the system manifest, compiled into the
 * bundle by `virtual:qm-routes`. It is the only source: a route the manifest does not declare is
 * not part of this deployment, so no role may call it and the console says so where it would
 * be used. The console hides what the API would refuse; the API still enforces every call.
 */

/** `METHOD /path`, exactly as the manifest declares it, e.g. `GET /api/orders/{id}`. */
export type RouteKey = string;

const DECLARED = new Map<RouteKey, readonly Role[]>(
  API_ROUTES.map((r) => [`${r.method} ${r.path}`, r.roles]),
);

/** True when the API's manifest declared the route when this console was built. */
export const isDeclared = (key: RouteKey): boolean => DECLARED.has(key);

/** The routes among `keys` that this deployment does not have. */
export const undeclared = (keys: readonly RouteKey[]): RouteKey[] => keys.filter((k) => !isDeclared(k));

/** The roles the manifest lets call the route; none when the route is not declared. */
export function rolesFor(key: RouteKey): readonly Role[] {
  return DECLARED.get(key) ?? [];
}

/** True when the route is declared and one of the roles may call it. */
export function can(roles: readonly Role[], key: RouteKey): boolean {
  const allowed = rolesFor(key);
  return roles.some((r) => allowed.includes(r));
}

/** Every declared route and its roles, for the role matrix in Settings. */
export function declaredRoutes(): { key: RouteKey; roles: readonly Role[] }[] {
  return [...DECLARED.keys()]
    .sort((a, b) => a.split(' ')[1]!.localeCompare(b.split(' ')[1]!) || a.localeCompare(b))
    .map((key) => ({ key, roles: rolesFor(key) }));
}

/** The routes whose roles decide whether a role sees a Settings tab. */
const SETTINGS_ROUTES: readonly RouteKey[] = [
  'PUT /api/locations/{id}',
  'PUT /api/channels/{channelId}',
  'PUT /api/channels/{channelId}/listings/{externalId}',
  'PUT /api/routing-rules',
  'PUT /api/carriers/{carrierId}',
  'GET /api/users',
];

export type Area =
  | 'overview'
  | 'inventory'
  | 'orders'
  | 'intake'
  | 'warehouse'
  | 'purchasing'
  | 'returns'
  | 'finance'
  | 'planning'
  | 'kpis'
  | 'alerts'
  | 'settings'
  | 'audit';

/** The screens of the console and the routes that decide whether a role sees each. */
const AREA_ROUTES: Readonly<Record<Area, readonly RouteKey[]>> = {
  overview: [],
  inventory: ['GET /api/inventory/{sku}'],
  orders: ['GET /api/orders/{id}'],
  intake: ['GET /api/intake/exceptions'],
  warehouse: ['GET /api/waves'],
  purchasing: ['GET /api/purchase-orders'],
  returns: ['GET /api/returns'],
  finance: ['GET /api/finance/trial-balance'],
  planning: ['GET /api/planning/suggestions'],
  kpis: ['GET /api/kpis'],
  alerts: ['GET /api/alerts'],
  settings: SETTINGS_ROUTES,
  audit: ['GET /api/audit'],
};

/**
 * `allowed`: one of the area's routes admits one of the roles. `refused`: the routes exist, the
 * roles are not among theirs. `undeclared`: none of the area's routes is part of this
 * deployment, so nobody can use it yet (its screens say so).
 */
type AreaAccess = 'allowed' | 'refused' | 'undeclared';

export function areaAccess(roles: readonly Role[], area: Area): AreaAccess {
  const routes = AREA_ROUTES[area];
  if (routes.length === 0) return roles.length > 0 ? 'allowed' : 'refused';
  if (routes.some((k) => can(roles, k))) return 'allowed';
  return routes.some(isDeclared) ? 'refused' : 'undeclared';
}

/** True when the role may use the area (navigation shows exactly these). */
export const canSee = (roles: readonly Role[], area: Area): boolean => areaAccess(roles, area) === 'allowed';
