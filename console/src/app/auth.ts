import type { AnyAuthProvider, LocalAuthProvider } from './auth-types.ts';
import type { ConsoleConfig } from './config.ts';
import { userFromIdToken } from './identity.ts';

const LOCAL_TOKEN_KEY = 'qm.local.idToken';
/** Tokens closer than this to expiry are treated as expired, so a request never races the clock. */
const EXPIRY_SKEW_MS = 30_000;

export function localAuth(storage: Storage = localStorage): LocalAuthProvider {
  return {
    mode: 'local',
    async currentToken() {
      const token = storage.getItem(LOCAL_TOKEN_KEY);
      if (!token) return undefined;
      try {
        if (userFromIdToken(token).expiresAt * 1000 > Date.now() + EXPIRY_SKEW_MS) return token;
      } catch {
        // unreadable: drop it
      }
      storage.removeItem(LOCAL_TOKEN_KEY);
      return undefined;
    },
    async signIn(role, username) {
      const res = await fetch('/local/auth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role, ...(username ? { username } : {}) }),
      });
      const body = (await res.json().catch(() => ({}))) as { idToken?: string; error?: { message?: string } };
      if (!res.ok || !body.idToken)
        throw new Error(body.error?.message ?? `Local sign-in failed (${res.status})`);
      storage.setItem(LOCAL_TOKEN_KEY, body.idToken);
      return body.idToken;
    },
    async signOut() {
      storage.removeItem(LOCAL_TOKEN_KEY);
    },
  };
}

/**
 * The auth provider for this deployment: Cognito through Amplify on AWS (loaded only in that
 * mode), the local identity provider locally. The providers' shapes live in `auth-types.ts`, so
 * the Cognito module needs nothing from this one.
 */
export async function createAuthProvider(config: ConsoleConfig): Promise<AnyAuthProvider> {
  if (config.mode === 'local') return localAuth();
  const { cognitoAuth } = await import('./cognito-auth.ts');
  return cognitoAuth(config);
}
