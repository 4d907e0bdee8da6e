import { API_ROUTES } from 'virtual:qm-routes';
import type { Role } from './identity.ts';

/**
 * What a role may do, from the API's own route table (the system manifest, compiled into the
 * bundle by `virtual:qm-routes`). The console hides what the API would refuse; the API still
 * enforces every call.
 *
 * Routes the API does not declare yet carry the roles below until they land; the manifest wins
 * as soon as it declares the route.
 */
const EVERYONE: readonly Role[] = [
  'admin',
  'supervisor',
  'inventory-controller',
  'warehouse-associate',
  'customer-service',
  'finance',
];
const ORDER_READERS: readonly Role[] = [
  'admin',
  'supervisor',
  'warehouse-associate',
  'customer-service',
  'finance',
];
const STOCK_EDITORS: readonly Role[] = ['admin', 'inventory-controller', 'supervisor'];
const ORDER_HANDLERS: readonly Role[] = ['admin', 'supervisor', 'customer-service'];
const FLOOR: readonly Role[] = ['admin', 'supervisor', 'warehouse-associate'];

export const PLANNED_ROUTES: Readonly<Record<string, readonly Role[]>> = {
  'GET /api/skus': EVERYONE,
  'GET /api/inventory/{sku}/ledger': EVERYONE,
  'POST /api/inventory/moves': STOCK_EDITORS,
  'POST /api/inventory/receipts': STOCK_EDITORS,
  'POST /api/reservations': ORDER_HANDLERS,
  'GET /api/reservations/{id}': ORDER_READERS,
  'DELETE /api/reservations/{id}': ORDER_HANDLERS,
  'POST /api/orders/{id}/holds/{holdId}/release': ORDER_HANDLERS,
  'POST /api/orders/{id}/cancel': ORDER_HANDLERS,
  'GET /api/intake/exceptions/{id}': ['admin', 'supervisor', 'customer-service'],
  'GET /api/locations': EVERYONE,
  'GET /api/waves': FLOOR,
  'POST /api/pick-tasks/{taskId}/complete': FLOOR,
  'POST /api/pack-tasks/{taskId}/complete': FLOOR,
  'PUT /api/carriers/{carrierId}': ['admin'],
  'GET /api/users': ['admin'],
};

export type RouteKey = string;

const DECLARED = new Map<string, readonly Role[]>(API_ROUTES.map((r) => [`${r.method} ${r.path}`, r.roles]));

/** True when the API's manifest declared the route when this console was built. */
export const isDeclared = (key: RouteKey): boolean => DECLARED.has(key);

export function rolesFor(key: RouteKey): readonly Role[] {
  return DECLARED.get(key) ?? PLANNED_ROUTES[key] ?? [];
}

export function can(roles: readonly Role[], key: RouteKey): boolean {
  const allowed = rolesFor(key);
  return roles.some((r) => allowed.includes(r));
}

/** Every route the console knows (declared and planned), for the role matrix in Settings. */
export function knownRoutes(): { key: RouteKey; roles: readonly Role[]; declared: boolean }[] {
  const keys = new Set([...DECLARED.keys(), ...Object.keys(PLANNED_ROUTES)]);
  return [...keys]
    .sort((a, b) => a.split(' ')[1]!.localeCompare(b.split(' ')[1]!) || a.localeCompare(b))
    .map((key) => ({ key, roles: rolesFor(key), declared: DECLARED.has(key) }));
}

/** The screens of the console and the route that decides whether a role sees each. */
export const SETTINGS_ROUTES: readonly RouteKey[] = [
  'PUT /api/locations/{id}',
  'PUT /api/channels/{channelId}',
  'PUT /api/channels/{channelId}/listings/{externalId}',
  'PUT /api/routing-rules',
  'PUT /api/carriers/{carrierId}',
  'GET /api/users',
];

export type Area = 'overview' | 'inventory' | 'orders' | 'intake' | 'warehouse' | 'settings' | 'audit';

export function canSee(roles: readonly Role[], area: Area): boolean {
  switch (area) {
    case 'overview':
      return roles.length > 0;
    case 'inventory':
      return can(roles, 'GET /api/inventory/{sku}');
    case 'orders':
      return can(roles, 'GET /api/orders/{id}');
    case 'intake':
      return can(roles, 'GET /api/intake/exceptions');
    case 'warehouse':
      return can(roles, 'GET /api/waves');
    case 'settings':
      return SETTINGS_ROUTES.some((k) => can(roles, k));
    case 'audit':
      return can(roles, 'GET /api/audit');
  }
}
