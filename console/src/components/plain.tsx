import type { ButtonHTMLAttributes, ReactNode } from 'react';
import type { ApiError } from '../api/client.ts';
import { ROLE_LABELS, type Role } from '../app/identity.ts';
import './plain.css';

/*
 * Small plain components for the screens a handheld opens first (sign-in, pick, pack). The
 * smallest Cloudscape component pulls ~60 kB (gzipped) of shared internals into the first load;
 * these use native elements styled to match, so the handheld's first load stays far under
 * 150 kB of gzipped JavaScript (test/e2e/console-speed.test.ts). Desk screens keep Cloudscape.
 */

export function PlainButton(
  props: ButtonHTMLAttributes<HTMLButtonElement> & {
    variant?: 'primary' | 'normal' | 'link';
    loading?: boolean;
    testId?: string;
  },
) {
  const { variant = 'normal', loading = false, testId, className, children, disabled, type, ...rest } = props;
  return (
    <button
      {...rest}
      type={type ?? 'button'}
      className={`qm-btn qm-btn-${variant}${className ? ` ${className}` : ''}`}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      data-testid={testId}
    >
      {loading && <span className="qm-spinner qm-spinner-inline" aria-hidden="true" />}
      {children}
    </button>
  );
}

/** A titled card: heading, optional description and actions on the right. */
export function Section(props: {
  title: ReactNode;
  level?: 1 | 2;
  description?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
  testId?: string;
}) {
  const Heading = props.level === 1 ? 'h1' : 'h2';
  return (
    <section className="qm-section" data-testid={props.testId}>
      <header className="qm-section-header">
        <div>
          <Heading className="qm-heading">{props.title}</Heading>
          {props.description && <p className="qm-muted">{props.description}</p>}
        </div>
        {props.actions && <div className="qm-actions">{props.actions}</div>}
      </header>
      {props.children}
    </section>
  );
}

/** A page heading outside a card. */
export function PageHeader(props: { title: string; description?: string }) {
  return (
    <header className="qm-page-header">
      <h1 className="qm-heading qm-heading-page">{props.title}</h1>
      {props.description && <p className="qm-muted">{props.description}</p>}
    </header>
  );
}

export type NoticeType = 'error' | 'warning' | 'info' | 'success';

/** A coloured notice; errors and warnings are announced (role alert), the rest politely. */
export function Notice(props: {
  type: NoticeType;
  header?: ReactNode;
  action?: ReactNode;
  children?: ReactNode;
  testId?: string;
}) {
  const urgent = props.type === 'error' || props.type === 'warning';
  return (
    <div
      className={`qm-notice qm-notice-${props.type}`}
      role={urgent ? 'alert' : 'status'}
      data-testid={props.testId}
    >
      <div className="qm-notice-body">
        {props.header && <strong className="qm-notice-header">{props.header}</strong>}
        {props.children}
      </div>
      {props.action}
    </div>
  );
}

export function Spinner(props: { label?: string }) {
  return (
    <span className="qm-loading" role="status">
      <span className="qm-spinner" aria-hidden="true" />
      {props.label ?? <span className="qm-visually-hidden">Loading</span>}
    </span>
  );
}

/** A status word with a coloured mark (success, pending, info, error). */
export function Status(props: { type: 'success' | 'pending' | 'info' | 'error'; children: ReactNode }) {
  return <span className={`qm-status qm-status-${props.type}`}>{props.children}</span>;
}

/** A labelled form control: the label wraps the control, the error is tied to it for readers. */
export function Field(props: {
  label: string;
  hint?: string;
  error?: string | undefined;
  children: ReactNode;
  testId?: string;
}) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control comes in as children, inside the label.
    <label className="qm-field" data-testid={props.testId}>
      <span className="qm-field-label">
        {props.label}
        {props.hint && <span className="qm-muted"> · {props.hint}</span>}
      </span>
      {props.children}
      {props.error && <span className="qm-field-error">{props.error}</span>}
    </label>
  );
}

/** An API error: what failed, why, and the correlation id to quote (as the desk's ApiErrorAlert). */
export function PlainApiError(props: { error: ApiError; onRetry?: () => void; what?: string }) {
  const { error } = props;
  if (error.notAvailable) return <PlainNotAvailable route={error.route} />;
  const header = error.headline(props.what);
  return (
    <Notice
      type="error"
      header={header}
      testId="api-error"
      action={
        props.onRetry && !error.forbidden ? <PlainButton onClick={props.onRetry}>Retry</PlainButton> : null
      }
    >
      <div>{error.message}</div>
      {error.issues.length > 0 && (
        <ul>
          {error.issues.map((i) => (
            <li key={`${i.field}:${i.message}`}>
              <code>{i.field}</code>: {i.message}
            </li>
          ))}
        </ul>
      )}
      <small className="qm-muted">
        {error.code}
        {error.status ? ` · HTTP ${error.status}` : ''}
        {error.correlationId ? ` · correlation id ${error.correlationId}` : ''}
      </small>
    </Notice>
  );
}

export function PlainNotAvailable(props: { route: string }) {
  return (
    <Notice type="info" header="Not available yet" testId="not-available">
      <code>{props.route.replace(/\?.*$/, '')}</code> is not part of this deployment. This part of the console
      lights up as soon as it is.
    </Notice>
  );
}

export function PlainNoAccess(props: { roles: readonly Role[]; what: string }) {
  return (
    <Notice type="warning" header="No access" testId="no-access">
      {props.what} is not available to your role (
      {props.roles.map((r) => ROLE_LABELS[r]).join(', ') || 'none'}). If you need it, ask an administrator.
    </Notice>
  );
}
