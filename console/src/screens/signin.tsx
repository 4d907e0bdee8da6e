import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Tiles from '@cloudscape-design/components/tiles';
import { type FormEvent, useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import type { CognitoAuthProvider, LocalAuthProvider, SignInStep } from '../app/auth-types.ts';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES, type Role } from '../app/identity.ts';
import { useSession } from '../app/session.tsx';

/** Only same-app paths are followed after sign-in (no open redirect through `?next=`). */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/signin') ? next : '/';
}

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

function CognitoSignIn({ auth, onDone }: { auth: CognitoAuthProvider; onDone: (token: string) => void }) {
  const [step, setStep] = useState<SignInStep | null>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<SignInStep>) => {
    setBusy(true);
    setError(null);
    try {
      const next = await action();
      setAnswer('');
      if (next.step === 'DONE') {
        const token = await auth.currentToken();
        if (!token) throw new Error('Signed in, but no ID token was issued');
        onDone(token);
        return;
      }
      setStep(next);
    } catch (err) {
      setError((err as Error).message);
    }
    setBusy(false);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!step) void run(() => auth.signIn(email.trim(), password));
    else void run(() => auth.confirm(answer));
  };

  return (
    <form onSubmit={submit}>
      <Form
        actions={
          <Button
            variant="primary"
            formAction="submit"
            loading={busy}
            disabled={step?.step === 'UNSUPPORTED'}
          >
            {step ? 'Continue' : 'Sign in'}
          </Button>
        }
        errorText={error}
      >
        <SpaceBetween size="l">
          {!step && (
            <>
              <FormField label="Email">
                <Input
                  type="email"
                  autoComplete="username"
                  value={email}
                  onChange={({ detail }) => setEmail(detail.value)}
                />
              </FormField>
              <FormField label="Password">
                <Input
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={({ detail }) => setPassword(detail.value)}
                />
              </FormField>
            </>
          )}
          {step?.step === 'NEW_PASSWORD' && (
            <FormField
              label="Choose a new password"
              description="Your account was created by an administrator; set your own password to continue."
              constraintText="At least 12 characters with upper and lower case letters, a digit and a symbol."
            >
              <Input
                type="password"
                autoComplete="new-password"
                value={answer}
                onChange={({ detail }) => setAnswer(detail.value)}
              />
            </FormField>
          )}
          {step?.step === 'TOTP_SETUP' && (
            <SpaceBetween size="s">
              <Alert type="info" header="Set up your authenticator">
                Add Quartermaster to your authenticator app with this key, then enter the 6-digit code it
                shows.
              </Alert>
              <CopyToClipboard
                variant="inline"
                textToCopy={step.secret}
                copySuccessText="Key copied"
                copyErrorText="Could not copy"
              />
              <Box variant="small" color="text-body-secondary">
                {step.uri}
              </Box>
            </SpaceBetween>
          )}
          {(step?.step === 'TOTP_SETUP' || step?.step === 'TOTP_CODE') && (
            <FormField label="Authenticator code">
              <Input
                inputMode="numeric"
                autoComplete="one-time-code"
                value={answer}
                onChange={({ detail }) => setAnswer(detail.value)}
                autoFocus
              />
            </FormField>
          )}
          {step?.step === 'UNSUPPORTED' && <Alert type="error">{step.detail}</Alert>}
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
            <CognitoSignIn auth={auth} onDone={done} />
          )}
        </Container>
      </SpaceBetween>
    </main>
  );
}
