import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { type FormEvent, useState } from 'react';
import type { CognitoAuthProvider, SignInStep } from '../app/auth-types.ts';

/** Sign-in on AWS: email and password, then Cognito's next steps (new password, TOTP). */
export default function CognitoSignIn({
  auth,
  onDone,
}: {
  auth: CognitoAuthProvider;
  onDone: (token: string) => void;
}) {
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
