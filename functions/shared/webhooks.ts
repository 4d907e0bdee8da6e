import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { DomainError, Unauthorized, ValidationFailed } from './errors.ts';
import { authorize, errorResponse, type HttpResult } from './http.ts';
import { logger, metrics } from './powertools.ts';
import { toFieldIssues } from './validation.ts';

/**
 * Webhooks from machines (Shopify, WooCommerce, storefronts, 3PLs) need what `httpHandler`
 * cannot give: the exact bytes the sender signed. This wrapper hands the use case the raw
 * body and lower-cased headers, and runs the sender's authentication *before* anything looks
 * inside the body. A request that fails authentication is answered 401, counted, and handed
 * to `onRejected` (forensics and replay), never parsed.
 */
export interface WebhookRequest<P> {
  /** The body exactly as received (base64-decoded when API Gateway encoded it). */
  rawBody: Buffer;
  /** Header names lower-cased, as HTTP APIs deliver them. */
  headers: Record<string, string>;
  params: P;
  correlationId: string;
  receivedAt: Date;
  sourceIp: string | undefined;
  event: APIGatewayProxyEventV2;
}

export type Authentication<A> = { ok: true; value: A } | { ok: false; reason: string };

export interface WebhookSpec<P extends z.ZodType, A> {
  params: P;
  /**
   * Answers requests that legitimately carry no signature (WooCommerce's delivery-URL ping),
   * judged from headers and raw bytes only. Return undefined to continue with authentication.
   */
  preflight?: (req: WebhookRequest<z.output<P>>) => HttpResult | undefined;
  /** Verifies the sender (signature, channel, secret). Must not parse the body. */
  authenticate: (req: WebhookRequest<z.output<P>>) => Promise<Authentication<A>>;
  /** Records a rejection; its own failure is logged and never changes the 401. */
  onRejected?: (req: WebhookRequest<z.output<P>>, reason: string) => Promise<void>;
  /** Metric dimension, e.g. `shopify`. */
  sender: string;
}

const CORRELATION_HEADER = 'x-correlation-id';

export function webhookHandler<P extends z.ZodType, A>(
  spec: WebhookSpec<P, A>,
  run: (req: WebhookRequest<z.output<P>>, auth: A) => Promise<HttpResult>,
) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>().handler(
    async (event) => {
      const headers = lowerCaseHeaders(event.headers);
      const correlationId = headers[CORRELATION_HEADER] ?? event.requestContext?.requestId ?? randomUUID();
      logger.appendKeys({ correlationId, route: event.routeKey });
      try {
        // Public by manifest declaration only; an undeclared route is refused.
        authorize(event);
        const parsedParams = spec.params.safeParse(event.pathParameters ?? {});
        if (!parsedParams.success) {
          const issues = toFieldIssues(parsedParams.error, 'path');
          throw new ValidationFailed('Invalid path', issues);
        }
        const req: WebhookRequest<z.output<P>> = {
          rawBody: rawBodyOf(event),
          headers,
          params: parsedParams.data,
          correlationId,
          receivedAt: new Date(),
          sourceIp: event.requestContext?.http?.sourceIp,
          event,
        };
        const early = spec.preflight?.(req);
        if (early) return respond(early, correlationId);

        const auth = await spec.authenticate(req);
        if (!auth.ok) {
          metrics.addDimension('sender', spec.sender);
          metrics.addMetric('WebhookRejected', 'Count', 1);
          metrics.publishStoredMetrics();
          logger.warn('Webhook rejected', {
            sender: spec.sender,
            reason: auth.reason,
            sourceIp: req.sourceIp,
          });
          if (spec.onRejected) {
            await spec.onRejected(req, auth.reason).catch((error: unknown) => {
              logger.error('Could not record a rejected webhook', { error: error as Error });
            });
          }
          throw new Unauthorized('The webhook signature is missing or invalid');
        }
        return respond(await run(req, auth.value), correlationId);
      } catch (error) {
        if (!(error instanceof DomainError)) logger.error('Webhook failed', { error: error as Error });
        return errorResponse(error, correlationId);
      } finally {
        logger.removeKeys(['correlationId', 'route']);
      }
    },
  );
}

function respond(result: HttpResult, correlationId: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json', [CORRELATION_HEADER]: correlationId, ...result.headers },
    body: result.body === undefined ? '' : JSON.stringify(result.body),
  };
}

export function rawBodyOf(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

function lowerCaseHeaders(headers: APIGatewayProxyEventV2['headers'] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name.toLowerCase()] = value;
  }
  return out;
}

/**
 * Checks an HMAC-SHA256 signature over `payload` in constant time.
 * The provided signature is decoded with the sender's encoding (base64 for Shopify and
 * WooCommerce, hex for `sha256=<hex>` styles) and compared with `timingSafeEqual` on two
 * buffers of the digest's length; a value of any other length is refused before comparing,
 * which reveals only that the length is wrong, never how much of the value matched.
 */
export function hmacSha256Matches(input: {
  secret: string | Buffer;
  payload: Buffer;
  signature: string | undefined;
  encoding: 'base64' | 'hex';
  /** Stripped before decoding, e.g. `sha256=`; the signature must start with it. */
  prefix?: string;
}): boolean {
  let provided = input.signature?.trim();
  if (!provided) return false;
  if (input.prefix) {
    if (!provided.toLowerCase().startsWith(input.prefix.toLowerCase())) return false;
    provided = provided.slice(input.prefix.length);
  }
  const pattern = input.encoding === 'hex' ? /^[0-9a-fA-F]+$/ : /^[A-Za-z0-9+/]+={0,2}$/;
  if (!pattern.test(provided)) return false;
  const expected = createHmac('sha256', input.secret).update(input.payload).digest();
  const actual = Buffer.from(provided, input.encoding);
  if (actual.length !== expected.length) return false;
  return timingSafeEqual(actual, expected);
}

/** Signs like the senders do; used by tests, the bench and outbound tooling. */
export function hmacSha256(
  secret: string | Buffer,
  payload: Buffer | string,
  encoding: 'base64' | 'hex',
): string {
  return createHmac('sha256', secret).update(payload).digest(encoding);
}
