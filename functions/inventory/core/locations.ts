import { ValidationFailed } from '#shared/errors';
import type { SecretStore } from '#shared/secrets';
import type { Location, PutLocationBody, StoredThreePLConnection } from '../schemas/stock.ts';
import type { PositionStore } from './ports.ts';

/** The SecretStore names of a 3PL location's secrets (connectors read them by these names). */
export const threePLTokenName = (locationId: string) => `locations/${locationId}/3pl-token`;
export const threePLWebhookSecretName = (locationId: string) => `locations/${locationId}/3pl-webhook`;

/** What clients see of a location: never a secret, not even where it is kept. */
export function locationView(location: Location) {
  const { connection, ...rest } = location;
  if (!connection) return rest;
  const { tokenRef, webhookSecretRef, ...visible } = connection;
  return {
    ...rest,
    connection: {
      ...visible,
      hasAccessToken: Boolean(tokenRef),
      hasWebhookSecret: Boolean(webhookSecretRef),
    },
  };
}

/**
 * The stored 3PL connection: secrets (when given) go to the SecretStore, an omitted one keeps
 * the stored one, and an omitted connection keeps the previous one whole. A first connection
 * needs its webhook secret (webhooks could not be verified without it).
 */
async function storedConnection(
  secrets: SecretStore,
  locationId: string,
  body: PutLocationBody,
  previous: StoredThreePLConnection | undefined,
  now: string,
): Promise<StoredThreePLConnection | undefined> {
  const given = body.connection;
  if (!given) return body.type === '3pl' ? previous : undefined;
  if (body.type !== '3pl')
    throw new ValidationFailed('Only a 3pl location has a connection', [
      { field: 'body.connection', message: 'only for type "3pl"' },
    ]);
  if (!given.webhookSecret && !previous?.webhookSecretRef)
    throw new ValidationFailed('A new 3PL connection needs its webhook secret', [
      { field: 'body.connection.webhookSecret', message: 'required' },
    ]);
  let tokenRef = previous?.tokenRef;
  let webhookSecretRef = previous?.webhookSecretRef ?? threePLWebhookSecretName(locationId);
  if (given.accessToken !== undefined) {
    tokenRef = threePLTokenName(locationId);
    await secrets.put(tokenRef, given.accessToken);
  }
  if (given.webhookSecret !== undefined) {
    webhookSecretRef = threePLWebhookSecretName(locationId);
    await secrets.put(webhookSecretRef, given.webhookSecret);
  }
  return {
    provider: given.provider,
    apiBaseUrl: given.apiBaseUrl,
    ...(tokenRef ? { tokenRef } : {}),
    webhookSecretRef,
    updatedAt: now,
  };
}

/** Creates or replaces a location; a 3PL's connection secrets go to the SecretStore first. */
export async function putLocation(
  ports: {
    positions: Pick<PositionStore, 'getLocation' | 'putLocation'>;
    secrets: SecretStore;
    clock: () => Date;
  },
  locationId: string,
  body: PutLocationBody,
): Promise<{ location: Location; created: boolean }> {
  const previous = await ports.positions.getLocation(locationId);
  const now = ports.clock().toISOString();
  const { connection: _given, ...config } = body;
  const connection = await storedConnection(ports.secrets, locationId, body, previous?.connection, now);
  const location: Location = {
    ...config,
    locationId,
    ...(connection ? { connection } : {}),
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
  await ports.positions.putLocation(location);
  return { location, created: !previous };
}
