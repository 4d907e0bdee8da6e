import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, type SignInOutput, signIn, signOut } from 'aws-amplify/auth';
import type { CognitoAuthProvider, SignInStep } from './auth-types.ts';
import type { ConsoleConfig } from './config.ts';

/**
 * Cognito sign-in through Amplify Auth v6: SRP (the password never leaves the browser), the
 * pool's required TOTP MFA, and the new-password challenge of admin-created accounts. Amplify
 * keeps and refreshes the tokens; `currentToken` hands the ID token to the API client because
 * the HTTP API's JWT authorizer and the role check read `cognito:groups` from it.
 */
export function cognitoAuth(config: Extract<ConsoleConfig, { mode: 'aws' }>): CognitoAuthProvider {
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: config.userPoolId,
        userPoolClientId: config.userPoolClientId,
        loginWith: { email: true },
      },
    },
  });
  let pendingUsername = '';
  let pending: SignInStep = { step: 'DONE' };

  async function next(out: SignInOutput): Promise<SignInStep> {
    const s = out.nextStep;
    switch (s.signInStep) {
      case 'DONE':
        pending = { step: 'DONE' };
        break;
      case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED':
        pending = { step: 'NEW_PASSWORD' };
        break;
      case 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP':
        pending = {
          step: 'TOTP_SETUP',
          secret: s.totpSetupDetails.sharedSecret,
          uri: s.totpSetupDetails.getSetupUri('Quartermaster', pendingUsername).toString(),
        };
        break;
      case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE':
        pending = { step: 'TOTP_CODE' };
        break;
      case 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION':
      case 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION':
        // The pool offers TOTP only (no SMS, no email): choose it without asking.
        return next(await confirmSignIn({ challengeResponse: 'TOTP' }));
      default:
        pending = {
          step: 'UNSUPPORTED',
          detail: `Cognito asked for ${s.signInStep}; ask an administrator to reset your account.`,
        };
    }
    return pending;
  }

  return {
    mode: 'aws',
    async currentToken() {
      try {
        const session = await fetchAuthSession();
        return session.tokens?.idToken?.toString();
      } catch {
        return undefined;
      }
    },
    async signIn(username, password) {
      pendingUsername = username;
      // A stale half-finished session would make Amplify refuse a new sign-in.
      await signOut().catch(() => {});
      return next(await signIn({ username, password, options: { authFlowType: 'USER_SRP_AUTH' } }));
    },
    async confirm(response) {
      if (pending.step === 'UNSUPPORTED' || pending.step === 'DONE') return pending;
      return next(await confirmSignIn({ challengeResponse: response.trim() }));
    },
    async signOut() {
      await signOut();
    },
  };
}
