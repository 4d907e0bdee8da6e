import { type FormEvent, lazy, Suspense, useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import type { LocalAuthProvider } from '../app/auth-types.ts';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES, type Role } from '../app/identity.ts';
import { useSession } from '../app/session.tsx';
import { Field, Notice, PlainButton, Section, Spinner } from '../components/plain.tsx';

/** Only same-app paths are followed after sign-in (no open redirect through `?next=`). */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/signin') ? next : '/';
}

// Cognito's steps (new password, authenticator set-up) load only on AWS, where they are used.
const CognitoSignIn = lazy(() => import('./signin-cognito.tsx'));

function LocalSignIn({ auth, onDone }: { auth: LocalAuthProvider; onDone: (token: string) => void }) {
  const [role, setRole] = useState<Role>('admin');
  const [username, setUsername] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await auth.signIn(role, username.trim() || undefined));
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  // Plain elements, not Cloudscape: the sign-in page is a handheld's first screen of the day.
  return (
    <form onSubmit={submit} data-testid="local-signin" className="qm-stack">
      <Notice type="info" header="Local identity provider">
        This runtime signs its own Cognito-shaped tokens. Pick the role to work as; on AWS this page asks for
        your email, password and authenticator code instead.
      </Notice>
      <fieldset className="qm-role-tiles">
        <legend className="qm-field-label">Role</legend>
        {ROLES.map((r) => (
          <label key={r} className={`qm-role-tile${r === role ? ' qm-role-tile-selected' : ''}`}>
            <input type="radio" name="role" value={r} checked={r === role} onChange={() => setRole(r)} />
            <span>
              <strong>{ROLE_LABELS[r]}</strong>
              <span className="qm-muted qm-role-description">{ROLE_DESCRIPTIONS[r]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <Field label="Name" hint="Optional. Shown in the audit trail.">
        <input
          className="qm-input"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          placeholder={`local-${role}`}
          autoComplete="username"
        />
      </Field>
      {error && <Notice type="error">{error}</Notice>}
      <div className="qm-row qm-row-end">
        <PlainButton variant="primary" type="submit" loading={busy} testId="signin-submit">
          Sign in
        </PlainButton>
      </div>
    </form>
  );
}

export default function SignInPage() {
  const { auth, user, signedIn, endedReason } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
  useEffect(() => {
    document.title = 'Sign in · Quartermaster';
  }, []);
  if (user) return <Navigate to={next} replace />;
  const done = (token: string) => {
    signedIn(token);
    navigate(next, { replace: true });
  };
  return (
    <main className="qm-signin qm-plain">
      <div className="qm-stack">
        {endedReason && <Notice type="warning">{endedReason}</Notice>}
        <Section
          level={1}
          title="Sign in to Quartermaster"
          description="Stock, orders and warehouse work, in one governed record."
        >
          {auth.mode === 'local' ? (
            <LocalSignIn auth={auth} onDone={done} />
          ) : (
            <Suspense fallback={<Spinner />}>
              <CognitoSignIn auth={auth} onDone={done} />
            </Suspense>
          )}
        </Section>
      </div>
    </main>
  );
}
