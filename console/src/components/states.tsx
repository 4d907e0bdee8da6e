import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { ReactNode } from 'react';
import type { ApiError } from '../api/client.ts';
import { type RouteKey, undeclared } from '../app/access.ts';
import { ROLE_LABELS, type Role } from '../app/identity.ts';

/** An API error as a Cloudscape Alert: what failed, why, and the correlation id to quote. */
export function ApiErrorAlert(props: { error: ApiError; onRetry?: () => void; what?: string }) {
  const { error } = props;
  if (error.notAvailable) return <NotAvailable route={error.route} />;
  const header = error.headline(props.what);
  return (
    <Alert
      type="error"
      header={header}
      action={props.onRetry && !error.forbidden ? <Button onClick={props.onRetry}>Retry</Button> : undefined}
      data-testid="api-error"
    >
      <SpaceBetween size="xxs">
        <span>{error.message}</span>
        {error.issues.length > 0 && (
          <ul>
            {error.issues.map((i) => (
              <li key={`${i.field}:${i.message}`}>
                <code>{i.field}</code>: {i.message}
              </li>
            ))}
          </ul>
        )}
        <Box variant="small" color="text-body-secondary">
          {error.code}
          {error.status ? ` · HTTP ${error.status}` : ''}
          {error.correlationId ? ` · correlation id ${error.correlationId}` : ''}
        </Box>
      </SpaceBetween>
    </Alert>
  );
}

/**
 * A route that is not part of this deployment: shown as information, never as a failure. The
 * screens say so when the manifest does not declare the route; an API answering "no route" at
 * run time (an older deployment) is shown the same way.
 */
export function NotAvailable(props: { route: string | readonly string[]; children?: ReactNode }) {
  const routes = (typeof props.route === 'string' ? [props.route] : props.route).map((r) =>
    r.replace(/\?.*$/, ''),
  );
  return (
    <Alert type="info" header="Not available yet" data-testid="not-available">
      <SpaceBetween size="xxs">
        <span>
          {routes.map((r, i) => (
            <span key={r}>
              {i > 0 && (i === routes.length - 1 ? ' and ' : ', ')}
              <code>{r}</code>
            </span>
          ))}{' '}
          {routes.length > 1 ? 'are' : 'is'} not part of this deployment. This part of the console lights up
          as soon as {routes.length > 1 ? 'they are' : 'it is'}.
        </span>
        {props.children}
      </SpaceBetween>
    </Alert>
  );
}

/**
 * The "not available yet" notice for those of `routes` the manifest does not declare (the
 * actions that would call them are not shown); nothing when every route is declared.
 */
export function UndeclaredNotice(props: { routes: readonly RouteKey[]; children?: ReactNode }) {
  const missing = undeclared(props.routes);
  return missing.length > 0 ? <NotAvailable route={missing}>{props.children}</NotAvailable> : null;
}

/** A screen whose API is part of a later workflow: says so plainly instead of showing made-up data. */
export function ComingWith(props: { workflow: string; children?: ReactNode; title?: string }) {
  return (
    <Box textAlign="center" color="inherit" padding={{ vertical: 'l' }} data-testid="coming-with">
      <SpaceBetween size="xs">
        <StatusIndicator type="pending">{props.title ?? 'Not available yet'}</StatusIndicator>
        <Box variant="p" color="text-body-secondary">
          Coming with {props.workflow}.
        </Box>
        {props.children}
      </SpaceBetween>
    </Box>
  );
}

export function EmptyState(props: { title: string; subtitle?: ReactNode; action?: ReactNode }) {
  return (
    <Box textAlign="center" color="inherit" padding={{ vertical: 's' }}>
      <SpaceBetween size="xxs">
        <Box variant="strong" color="inherit">
          {props.title}
        </Box>
        {props.subtitle && (
          <Box variant="p" color="inherit">
            {props.subtitle}
          </Box>
        )}
        {props.action}
      </SpaceBetween>
    </Box>
  );
}

export function NoAccess(props: { roles: readonly Role[]; what: string }) {
  return (
    <Alert type="warning" header="No access" data-testid="no-access">
      {props.what} is not available to your role (
      {props.roles.map((r) => ROLE_LABELS[r]).join(', ') || 'none'}). If you need it, ask an administrator.
    </Alert>
  );
}

const AUDIT_OUTCOMES: Record<string, { type: 'success' | 'error' | 'info' | 'pending'; label: string }> = {
  succeeded: { type: 'success', label: 'Succeeded' },
  // Nothing changed: an idempotent repeat, a simulation or a check.
  unchanged: { type: 'info', label: 'Unchanged' },
  // Recorded before a side effect (a workflow signal); the answer never came back.
  requested: { type: 'pending', label: 'Requested' },
  rejected: { type: 'error', label: 'Rejected' },
};

/** A command's audit outcome with its HTTP status, the same on every screen. */
export function AuditOutcome(props: { outcome: string; status?: number }) {
  const o = AUDIT_OUTCOMES[props.outcome] ?? { type: 'error' as const, label: props.outcome };
  return (
    <StatusIndicator type={o.type}>
      {o.label}
      {props.status === undefined ? '' : ` (${props.status})`}
    </StatusIndicator>
  );
}
