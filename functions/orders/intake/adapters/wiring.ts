import { recordAuditFirst } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { eventBridgePublisher } from '#shared/events';
import { type SecretStore, secretStore } from '#shared/secrets';
import { tableName } from '#shared/table';
import { batchReader } from '../../adapters/batch-reader.ts';
import { findAmazonChannel } from '../core/find-amazon-channel.ts';
import type { IntakeException } from '../core/intake-records.ts';
import { amazonChannelHint } from '../core/normalize/amazon.ts';
import type { ReplayPorts } from '../core/replay-exception.ts';
import type { Channel } from '../schemas/channel.ts';
import { dynamoChannelStore } from './channel-store.ts';
import { dynamoIntakeStore } from './intake-store.ts';
import { dynamoRejectionStore } from './rejection-store.ts';
import { catalogSkus } from './sku-catalog.ts';

/**
 * Intake's adapters, created once per process (a Lambda container, or the local runtime) and
 * shared by its handlers: one batch reader, so a delivery's reads share a round trip.
 */
function build() {
  // One reader: the delivery, order and listing reads of a delivery share a round trip.
  const table = tableName();
  const reader = batchReader(documentClient(), table);
  const channels = dynamoChannelStore(table, reader);
  const store = dynamoIntakeStore(table, reader);
  const clock = () => new Date();

  /** The channel an SP-API notification belongs to, from its SellerId and MarketplaceId. */
  async function amazonChannelFor(rawBody: string): Promise<{ channel?: Channel; sellerId?: string }> {
    const hint = amazonChannelHint(rawBody);
    const channel = findAmazonChannel(await channels.listOfType('amazon'), hint);
    return { ...(channel ? { channel } : {}), ...(hint.sellerId ? { sellerId: hint.sellerId } : {}) };
  }

  const intake: ReplayPorts = {
    store,
    catalog: catalogSkus(),
    listings: channels.listings,
    clock,
    returnEvents: eventBridgePublisher(),
    exceptions: store,
    async channelFor(exception: IntakeException) {
      if (exception.source === 'amazon') return (await amazonChannelFor(exception.rawBody)).channel;
      return exception.channelId ? channels.get(exception.channelId) : undefined;
    },
  };
  return {
    channels,
    catalog: intake.catalog,
    events: eventBridgePublisher(),
    intake,
    store,
    rejections: dynamoRejectionStore(),
    secrets: auditedSecrets(),
    amazonChannelFor,
    clock,
  };
}

/** Storing a secret is not a table write, so a command records its audit entry before it (shared/audit.ts). */
function auditedSecrets(): SecretStore {
  const secrets = secretStore();
  return {
    get: (name, opts) => secrets.get(name, opts),
    async put(name, value) {
      await recordAuditFirst();
      await secrets.put(name, value);
    },
  };
}

let ports: ReturnType<typeof build> | undefined;
export function intakePorts() {
  ports ??= build();
  return ports;
}
