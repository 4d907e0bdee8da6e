import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import Tiles from '@cloudscape-design/components/tiles';
import { type FormEvent, lazy, Suspense, useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import type { LocalAuthProvider } from '../app/auth-types.ts';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES, type Role } from '../app/identity.ts';
import { useSession } from '../app/session.tsx';

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
  return (
    <form onSubmit={submit} data-testid="local-signin">
      <Form
        actions={
          <Button variant="primary" formAction="submit" loading={busy} data-testid="signin-submit">
            Sign in
          </Button>
        }
        errorText={error}
      >
        <SpaceBetween size="l">
          <Alert type="info" header="Local identity provider">
            This runtime signs its own Cognito-shaped tokens. Pick the role to work as; on AWS this page asks
            for your email, password and authenticator code instead.
          </Alert>
          <FormField label="Role">
            <Tiles
              value={role}
              onChange={({ detail }) => setRole(detail.value as Role)}
              columns={2}
              items={ROLES.map((r) => ({
                value: r,
                label: ROLE_LABELS[r],
                description: ROLE_DESCRIPTIONS[r],
              }))}
            />
          </FormField>
          <FormField label="Name" description="Shown in the audit trail." constraintText="Optional">
            <Input
              value={username}
              onChange={({ detail }) => setUsername(detail.value)}
              placeholder={`local-${role}`}
            />
          </FormField>
        </SpaceBetween>
      </Form>
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
    <main className="qm-signin">
      <SpaceBetween size="l">
        {endedReason && <Alert type="warning">{endedReason}</Alert>}
        <Container
          header={
            <Header variant="h1" description="Stock, orders and warehouse work, in one governed record.">
              Sign in to Quartermaster
            </Header>
          }
        >
          {auth.mode === 'local' ? (
            <LocalSignIn auth={auth} onDone={done} />
          ) : (
            <Suspense fallback={<Spinner />}>
              <CognitoSignIn auth={auth} onDone={done} />
            </Suspense>
          )}
        </Container>
      </SpaceBetween>
    </main>
  );
}
