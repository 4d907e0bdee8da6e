import type { Role } from './identity.ts';

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
