/// <reference types="vite/client" />

declare module 'virtual:qm-routes' {
  import type { HttpMethod, Role } from '../../lib/manifest/types.ts';
  /** The API's `/api/*` routes and their roles, from the system manifest at build time. */
  export const API_ROUTES: readonly { method: HttpMethod; path: string; roles: readonly Role[] }[];
}
