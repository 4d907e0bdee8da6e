import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { ValidationFailed } from '#shared/errors';
import { ok } from '#shared/http';
import { toFieldIssues } from '#shared/validation';
import { webhookHandler } from '#shared/webhooks';
import { threePLPorts } from '../adapters/threepl-wiring.ts';
import { receiveThreePLWebhook } from '../core/threepl-webhook.ts';
import { locationParams, threePLWebhookBody } from '../schemas/threepl.ts';

const ports = threePLPorts();

/**
 * POST /webhooks/3pl/{locationId}: a 3PL's (or its middleware's) messages, signed with Standard
 * Webhooks. `standardwebhooks` checks `webhook-signature` (HMAC-SHA256 over id.timestamp.body,
 * constant-time) and refuses a `webhook-timestamp` more than 5 minutes away: forged, stale or
 * unsigned answers 401 and nothing is written (a made-up location and a real one answer alike).
 * Verified bodies are validated (400), then handled once per `webhook-id`.
 */
export const handler = webhookHandler(
  {
    sender: '3pl',
    params: locationParams,
    async authenticate(req) {
      const location = await ports.locations.get(req.params.locationId);
      const ref = location?.type === '3pl' ? location.connection?.webhookSecretRef : undefined;
      if (!ref) return { ok: false, reason: 'unknown-location' };
      const verify = async (maxAgeMs?: number) => {
        const secret = await ports.secrets.get(ref, maxAgeMs === undefined ? undefined : { maxAgeMs });
        if (!secret) return false;
        try {
          new Webhook(secret).verify(req.rawBody.toString('utf8'), req.headers);
          return true;
        } catch (error) {
          if (error instanceof WebhookVerificationError) return false;
          throw error;
        }
      };
      // A mismatch is checked once more against a fresh read: the secret may just have rotated.
      if ((await verify()) || (await verify(0))) return { ok: true, value: location };
      return { ok: false, reason: 'bad-signature-or-stale' };
    },
  },
  async (req) => {
    let json: unknown;
    try {
      json = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      throw new ValidationFailed('The body is not JSON', [{ field: 'body', message: 'not JSON' }]);
    }
    const parsed = threePLWebhookBody.safeParse(json);
    if (!parsed.success)
      throw new ValidationFailed('Invalid 3PL webhook', toFieldIssues(parsed.error, 'body'));
    const outcome = await receiveThreePLWebhook(
      ports,
      {
        locationId: req.params.locationId,
        // Verified: the signature covers the id, so it is the sender's.
        webhookId: req.headers['webhook-id'] as string,
        receivedAt: req.receivedAt.toISOString(),
        correlationId: req.correlationId,
      },
      parsed.data,
    );
    return ok(outcome);
  },
);
