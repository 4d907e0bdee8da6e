import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useLayoutEffect,
  useMemo,
  useState,
} from 'react';
import { configureApi } from '../api/client.ts';
import type { AnyAuthProvider } from './auth-types.ts';
import type { ConsoleConfig } from './config.ts';
import { type SignedInUser, userFromIdToken } from './identity.ts';

export interface Session {
  config: ConsoleConfig;
  auth: AnyAuthProvider;
  /** Null when nobody is signed in (or the API said the session ended). */
  user: SignedInUser | null;
  /** Why the user was sent to sign-in, when it was not their choice. */
  endedReason: string | null;
  signedIn(idToken: string): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider(props: {
  config: ConsoleConfig;
  auth: AnyAuthProvider;
  initialToken: string | undefined;
  children: ReactNode;
}) {
  const { config, auth } = props;
  const [user, setUser] = useState<SignedInUser | null>(() =>
    props.initialToken ? userFromIdToken(props.initialToken) : null,
  );
  const [endedReason, setEndedReason] = useState<string | null>(null);

  // A layout effect: it runs before the screens' effects, so their first calls carry the token
  // (the first screen renders in the same commit as this provider, see preloadFirstScreen).
  useLayoutEffect(() => {
    configureApi({
      baseUrl: config.mode === 'aws' ? config.apiUrl : '',
      token: () => auth.currentToken(),
      onUnauthorized: () => {
        setEndedReason('Your session ended. Sign in again to continue.');
        setUser(null);
        void auth.signOut().catch(() => {});
      },
    });
  }, [config, auth]);

  const signedIn = useCallback((idToken: string) => {
    setEndedReason(null);
    setUser(userFromIdToken(idToken));
  }, []);
  const signOut = useCallback(async () => {
    await auth.signOut().catch(() => {});
    setEndedReason(null);
    setUser(null);
  }, [auth]);

  const value = useMemo<Session>(
    () => ({ config, auth, user, endedReason, signedIn, signOut }),
    [config, auth, user, endedReason, signedIn, signOut],
  );
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user; only for components rendered inside the signed-in shell. */
export function useUser(): SignedInUser {
  const { user } = useSession();
  if (!user) throw new Error('useUser without a signed-in user');
  return user;
}
