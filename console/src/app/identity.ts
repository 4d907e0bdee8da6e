import { ROLES, type Role } from '../../../lib/manifest/types.ts';

export { ROLES, type Role };

/** The signed-in user as the console sees them: read from the ID token the API also receives. */
export interface SignedInUser {
  username: string;
  roles: Role[];
  /** Seconds since the epoch. */
  expiresAt: number;
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  supervisor: 'Supervisor',
  'inventory-controller': 'Inventory controller',
  'warehouse-associate': 'Warehouse associate',
  'customer-service': 'Customer service',
  finance: 'Finance',
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'Everything, including settings, users and roles',
  supervisor: 'Runs the floor: stock corrections, holds, waves, the audit trail',
  'inventory-controller': 'Owns stock accuracy: adjustments, checks and repairs, the catalog',
  'warehouse-associate': 'Picks, packs, receives and moves stock; looks up stock and orders',
  'customer-service': 'Orders, holds and intake exceptions for customers',
  finance: 'Reads orders, stock and the audit trail',
};

function decodeSegment(segment: string): unknown {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/**
 * Reads (does not verify) a Cognito-shaped ID token. The console only uses it to decide what to
 * show; the API verifies the signature and enforces the roles on every call.
 */
export function userFromIdToken(token: string): SignedInUser {
  const payload = decodeSegment(token.split('.')[1] ?? '') as Record<string, unknown>;
  const groups = payload['cognito:groups'];
  const names = Array.isArray(groups)
    ? groups.map(String)
    : typeof groups === 'string'
      ? groups.split(/[\s,]+/)
      : [];
  const username = payload['cognito:username'] ?? payload.email ?? payload.sub ?? 'unknown';
  return {
    username: String(username),
    roles: names.filter((n): n is Role => (ROLES as readonly string[]).includes(n)),
    expiresAt: typeof payload.exp === 'number' ? payload.exp : 0,
  };
}
