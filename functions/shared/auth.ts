import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ROLES, type Role } from './roles.ts';

export interface Principal {
  /** Stable subject id from the identity provider. */
  sub: string;
  username: string;
  roles: Role[];
}

type JwtContext = { authorizer?: { jwt?: { claims?: Record<string, unknown> } } };

/**
 * Cognito puts groups in `cognito:groups`. The HTTP API JWT authorizer hands array claims to
 * the function as a string like `[admin supervisor]`; the local gateway passes real arrays.
 * Both shapes are accepted; unknown group names are ignored.
 */
export function parseGroups(claim: unknown): Role[] {
  let names: string[] = [];
  if (Array.isArray(claim)) names = claim.map(String);
  else if (typeof claim === 'string') names = claim.replace(/^\[|\]$/g, '').split(/[\s,]+/);
  return names.filter((n): n is Role => (ROLES as readonly string[]).includes(n));
}

/** The caller as verified by the JWT authorizer, or undefined on a public route. */
export function principalFrom(event: APIGatewayProxyEventV2): Principal | undefined {
  const claims = (event.requestContext as typeof event.requestContext & JwtContext).authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== 'string') return undefined;
  const username = claims['cognito:username'] ?? claims.username ?? claims.email ?? claims.sub;
  return { sub: claims.sub, username: String(username), roles: parseGroups(claims['cognito:groups']) };
}
