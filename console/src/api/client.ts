/**
 * The one API client of the console. Every call carries the signed-in user's ID token as a
 * bearer token (from Amplify's session on AWS, from the local sign-in in local mode) and a
 * fresh correlation id, so an error shown to a user can be traced in the logs and the audit
 * trail. Errors come back as `ApiError`, built from the API's stable body
 * `{ error: { code, message, details } }`.
 */

export interface FieldIssue {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
    readonly correlationId: string,
    readonly route: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /**
   * The gateway has no such route (yet): the API answers `404 NOT_FOUND "No route for ..."`
   * locally and `404 {"message":"Not Found"}` on API Gateway. Screens show "not available yet"
   * instead of an error, since routes land progressively.
   */
  get notAvailable(): boolean {
    return this.status === 404 && this.code === 'NO_ROUTE';
  }

  get forbidden(): boolean {
    return this.status === 403;
  }

  /** What an error notice says first: why the user may not, cannot reach, or what failed. */
  headline(what?: string): string {
    if (this.forbidden) return 'Your role does not allow this';
    if (this.status === 0) return 'Cannot reach the API';
    return what ? `Could not ${what}` : 'Something went wrong';
  }

  get issues(): FieldIssue[] {
    const issues = (this.details as { issues?: unknown } | undefined)?.issues;
    return Array.isArray(issues) ? (issues as FieldIssue[]) : [];
  }
}

export interface ApiSettings {
  /** '' for same origin (local); the HTTP API URL on AWS. */
  baseUrl: string;
  /** The current ID token, refreshed by the auth provider when needed. */
  token: () => Promise<string | undefined>;
  /** Called on 401: the session is gone, back to sign-in. */
  onUnauthorized: () => void;
}

let settings: ApiSettings = {
  baseUrl: '',
  token: async () => undefined,
  onUnauthorized: () => {},
};

export function configureApi(next: ApiSettings): void {
  settings = next;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

/** Builds `/api/...` paths with every interpolated value URL-encoded: apiPath`/api/skus/${sku}`. */
export function apiPath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  return strings.reduce(
    (out, s, i) => out + s + (i < values.length ? encodeURIComponent(String(values[i])) : ''),
    '',
  );
}

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function newCorrelationId(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** A body sent as it is (a CSV upload), with its content type. */
  text?: { contentType: string; body: string };
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const correlationId = newCorrelationId();
  const route = `${method} ${path}`;
  const headers: Record<string, string> = { accept: 'application/json', 'x-correlation-id': correlationId };
  const token = await settings.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.text) headers['content-type'] = opts.text.contentType;

  let res: Response;
  try {
    res = await fetch(settings.baseUrl + withQuery(path, opts.query), {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      ...(opts.text ? { body: opts.text.body } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(
      0,
      'NETWORK',
      'The API could not be reached. Check your connection and try again.',
      undefined,
      correlationId,
      route,
    );
  }

  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (res.ok) return body as T;

  const err = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  const gatewayNotFound =
    res.status === 404 &&
    ((err?.code === 'NOT_FOUND' && /^No route for /.test(err.message ?? '')) ||
      (!err && (body as { message?: string } | undefined)?.message === 'Not Found'));
  const code = gatewayNotFound ? 'NO_ROUTE' : (err?.code ?? `HTTP_${res.status}`);
  const message =
    err?.message ??
    (res.status === 401
      ? 'Your session has ended; sign in again.'
      : `The API answered ${res.status} ${res.statusText}`);
  const error = new ApiError(
    res.status,
    code,
    message,
    err?.details,
    res.headers.get('x-correlation-id') ?? correlationId,
    route,
  );
  if (res.status === 401) settings.onUnauthorized();
  throw error;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>('GET', path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  postCsv: <T>(path: string, csv: string) =>
    request<T>('POST', path, { text: { contentType: 'text/csv', body: csv } }),
  delete: <T>(path: string, body?: unknown) => request<T>('DELETE', path, body === undefined ? {} : { body }),
};
