import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { ROLES, type Role } from '../lib/manifest/types.ts';
import { LOCAL_AUDIENCE, localIssuer } from './config.ts';

/**
 * The local identity provider: an RS256 key pair generated once under `<dataDir>/keys/` (never
 * committed), tokens shaped like Cognito ID tokens (`cognito:groups` carries the role), and a
 * verifier that checks what the HTTP API JWT authorizer checks: signature, issuer, audience,
 * expiry (required, with iat) and not-before.
 */
export interface LocalIdentity {
  issuer: string;
  publicJwk: JWK;
  sign(input: { role: Role; username?: string; ttlSeconds?: number }): Promise<string>;
  verify(token: string): Promise<JWTPayload>;
}

const KEY_ID = 'qm-local-1';

export async function loadIdentity(dataDir: string, port: number): Promise<LocalIdentity> {
  const dir = path.join(dataDir, 'keys');
  const file = path.join(dir, 'signing-key.json');
  let privateJwk: JWK;
  try {
    privateJwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), kid: KEY_ID, alg: 'RS256' };
    await mkdir(dir, { recursive: true });
    await writeFile(file, JSON.stringify(privateJwk), { mode: 0o600 });
  }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const privateKey = (await importJWK(privateJwk, 'RS256')) as CryptoKey;
  const publicKey = (await importJWK(publicJwk, 'RS256')) as CryptoKey;
  const issuer = localIssuer(port);

  return {
    issuer,
    publicJwk,
    async sign({ role, username, ttlSeconds = 12 * 60 * 60 }) {
      if (!ROLES.includes(role)) throw new Error(`Unknown role ${role}; one of ${ROLES.join(', ')}`);
      const name = username ?? `local-${role}`;
      return new SignJWT({ 'cognito:groups': [role], 'cognito:username': name, token_use: 'id' })
        .setProtectedHeader({ alg: 'RS256', kid: KEY_ID })
        .setSubject(`local|${name}`)
        .setIssuer(issuer)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(privateKey);
    },
    async verify(token) {
      const { payload } = await jwtVerify(token, publicKey, {
        issuer,
        audience: LOCAL_AUDIENCE,
        algorithms: ['RS256'],
        // jose checks exp only when present; a token that never expires is refused, as Cognito's always carry both.
        requiredClaims: ['exp', 'iat'],
      });
      return payload;
    },
  };
}
