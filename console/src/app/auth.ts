import type { ConsoleConfig } from './config.ts';
import { type Role, userFromIdToken } from './identity.ts';

/**
 * Where the console gets its ID token. On AWS: Cognito through Amplify Auth (SRP, MFA), loaded
 * only in that mode so the local bundle path never downloads Amplify. Locally: the runtime's
 * identity provider (`POST /local/auth/token`), which signs Cognito-shaped tokens.
 */
export interface AuthProvider {
  readonly mode: 'local' | 'aws';
  /** A valid ID token, refreshed when needed; undefined when nobody is signed in. */
  currentToken(): Promise<string | undefined>;
  signOut(): Promise<void>;
}

export interface LocalAuthProvider extends AuthProvider {
  readonly mode: 'local';
  signIn(role: Role, username?: string): Promise<string>;
}

/** Steps of a Cognito sign-in the console can walk a user through. */
export type SignInStep =
  | { step: 'DONE' }
  | { step: 'NEW_PASSWORD' }
  | { step: 'TOTP_SETUP'; secret: string; uri: string }
  | { step: 'TOTP_CODE' }
  | { step: 'UNSUPPORTED'; detail: string };

export interface CognitoAuthProvider extends AuthProvider {
  readonly mode: 'aws';
  signIn(username: string, password: string): Promise<SignInStep>;
  /** Answers the current challenge: a new password or a TOTP code. */
  confirm(response: string): Promise<SignInStep>;
}

export type AnyAuthProvider = LocalAuthProvider | CognitoAuthProvider;

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

export async function createAuthProvider(config: ConsoleConfig): Promise<AnyAuthProvider> {
  if (config.mode === 'local') return localAuth();
  const { cognitoAuth } = await import('./cognito-auth.ts');
  return cognitoAuth(config);
}
