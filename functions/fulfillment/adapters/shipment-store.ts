import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { writeAudited } from '#shared/audit';
import { documentClient } from '#shared/clients';
import { getItem, queryAll } from '#shared/queries';
import { tableName } from '#shared/table';
import type { StoredTask } from '../core/ports.ts';
import type { ShipmentStore, ShippingRecord } from '../core/shipping-ports.ts';
import { fulfillmentKeys } from '../keys.ts';
import { type ExtraCondition, fulfillmentUpdate, ifConditionHolds } from './item-writes.ts';

type UpdateInput = ConstructorParameters<typeof UpdateCommand>[0];

/** Newest pack scan ids kept for retries (older ones were answered long ago). */
const KEPT_SCAN_IDS = 200;

/** A cancel loses to a shipment: the parcel has left. */
const UNLESS_SHIPPED: ExtraCondition = {
  condition: '#status <> :shipped',
  names: { '#status': 'status' },
  values: { ':shipped': 'shipped' },
};

/**
 * Pack, ship, the workflow's bookkeeping and cancellation on the fulfillment items B2's store
 * creates (same keys, same `version`). Business changes (pack scans, packed, shipped, cancelled,
 * a cancel asked) are conditional on the version read and bump it, so they never cross a pick
 * scan or a wave. Bookkeeping (a parked task token, published events, an exception) leaves the
 * version alone: it must not make a concurrent pick or wave write fail. Commands' writes carry
 * their audit record (writeAudited).
 */
export function dynamoShipmentStore(
  table = tableName(),
  db: DynamoDBDocumentClient = documentClient(),
): ShipmentStore {
  /** SET the fields (undefined REMOVEs), bump the version, keep the work-queue keys on the status. */
  const change = (before: ShippingRecord, fields: Record<string, unknown>, unlessShipped = false) =>
    ifConditionHolds(() =>
      writeAudited(db, {
        Update: fulfillmentUpdate(table, before, fields, unlessShipped ? UNLESS_SHIPPED : undefined),
      }),
    );
  /** A plain conditional update outside any command's audit (the workflow's bookkeeping). */
  const bookkeeping = (input: Omit<UpdateInput, 'TableName'>) =>
    ifConditionHolds(() => db.send(new UpdateCommand({ TableName: table, ...input })));
  const load = (id: string) => getItem<ShippingRecord>(db, table, fulfillmentKeys.fulfillment(id));

  return {
    load,
    parkToken(before, phase, token, waitingIn) {
      const values: Record<string, unknown> = { ':tokens': { ...before.tokens, [phase]: token } };
      waitingIn.forEach((s, i) => {
        values[`:s${i}`] = s;
      });
      // Only the workflow writes `tokens`, one Await at a time: the whole map is replaced.
      return bookkeeping({
        Key: fulfillmentKeys.fulfillment(before.fulfillmentId),
        UpdateExpression: 'SET #tokens = :tokens',
        ConditionExpression: `#status IN (${waitingIn.map((_, i) => `:s${i}`).join(', ')}) AND attribute_not_exists(#cancel)`,
        ExpressionAttributeNames: { '#tokens': 'tokens', '#status': 'status', '#cancel': 'cancelRequested' },
        ExpressionAttributeValues: values,
      });
    },
    async requestCancel(fulfillmentId, reason, at) {
      for (let attempt = 1; attempt <= 5; attempt++) {
        const f = await load(fulfillmentId);
        if (!f || f.status === 'shipped' || f.cancelRequested) return f;
        if (await change(f, { cancelRequested: { reason, at } }, true)) {
          // Read again, not `f` plus the cancel: a token parked between the read and the write
          // (parking leaves the version alone) must be failed too. Any park after the write is
          // refused by its condition, so this read holds every token that will ever wait.
          return load(fulfillmentId);
        }
      }
      throw new Error(`Fulfillment ${fulfillmentId} kept changing while a cancel was asked`);
    },
    recordPackScan(before, lines, at, scanId) {
      const packScanIds = scanId ? [...(before.packScanIds ?? []), scanId].slice(-KEPT_SCAN_IDS) : undefined;
      return change(before, { lines, updatedAt: at, ...(packScanIds ? { packScanIds } : {}) });
    },
    markPacked(before, packages, at, by) {
      return change(before, { status: 'packed', packages, packedAt: at, packedBy: by, updatedAt: at });
    },
    markShipped(before, shipment) {
      return change(before, { status: 'shipped', shipment, updatedAt: shipment.shippedAt });
    },
    markCancelled(before, at) {
      return change(before, { status: 'cancelled', cancelledAt: at, updatedAt: at }, true);
    },
    async claimPublish(fulfillmentId, detailType, claim) {
      const key = fulfillmentKeys.fulfillment(fulfillmentId);
      const names = { '#published': 'published', '#claims': 'publishClaims' };
      const unpublished = 'attribute_exists(pk) AND NOT contains(#published, :type)';
      // The claim map exists once any event of the item was claimed; the first claim creates it.
      const intoMap = () =>
        bookkeeping({
          Key: key,
          UpdateExpression: 'SET #claims.#type = :at',
          ConditionExpression: `${unpublished} AND attribute_exists(#claims) AND (attribute_not_exists(#claims.#type) OR #claims.#type < :stale)`,
          ExpressionAttributeNames: { ...names, '#type': detailType },
          ExpressionAttributeValues: { ':type': detailType, ':at': claim.at, ':stale': claim.staleBefore },
        });
      const firstClaim = () =>
        bookkeeping({
          Key: key,
          UpdateExpression: 'SET #claims = :claims',
          ConditionExpression: `${unpublished} AND attribute_not_exists(#claims)`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':type': detailType, ':claims': { [detailType]: claim.at } },
        });
      // Both failing means the map appeared between them (another claim): try the map once more.
      return (await intoMap()) || (await firstClaim()) || intoMap();
    },
    async markPublished(fulfillmentId, detailType) {
      await bookkeeping({
        Key: fulfillmentKeys.fulfillment(fulfillmentId),
        UpdateExpression: 'SET #published = list_append(if_not_exists(#published, :none), :type)',
        ConditionExpression: 'attribute_exists(pk) AND NOT contains(#published, :typeName)',
        ExpressionAttributeNames: { '#published': 'published' },
        ExpressionAttributeValues: { ':none': [], ':type': [detailType], ':typeName': detailType },
      });
    },
    async markSignalled(fulfillmentId, phase) {
      await bookkeeping({
        Key: fulfillmentKeys.fulfillment(fulfillmentId),
        UpdateExpression: 'SET #signalled = list_append(if_not_exists(#signalled, :none), :phase)',
        ConditionExpression: 'attribute_exists(pk) AND NOT contains(#signalled, :phaseName)',
        ExpressionAttributeNames: { '#signalled': 'signalled' },
        ExpressionAttributeValues: { ':none': [], ':phase': [phase], ':phaseName': phase },
      });
    },
    async raiseException(fulfillmentId, exception) {
      await bookkeeping({
        Key: fulfillmentKeys.fulfillment(fulfillmentId),
        UpdateExpression: 'SET #exception = :exception',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#exception': 'exception' },
        ExpressionAttributeValues: { ':exception': exception },
      });
    },
    async clearException(fulfillmentId, phases) {
      const values: Record<string, unknown> = {};
      phases.forEach((p, i) => {
        values[`:p${i}`] = p;
      });
      await bookkeeping({
        Key: fulfillmentKeys.fulfillment(fulfillmentId),
        UpdateExpression: 'REMOVE #exception',
        ConditionExpression: `#exception.#phase IN (${phases.map((_, i) => `:p${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#exception': 'exception', '#phase': 'phase' },
        ExpressionAttributeValues: values,
      });
    },
    ofOrder: (orderId) =>
      queryAll<ShippingRecord>(db, {
        TableName: table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': fulfillmentKeys.ofOrder(orderId) },
      }),
    tasksOf: (waveId) =>
      queryAll<StoredTask>(db, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :task)',
        ExpressionAttributeValues: {
          ':pk': fulfillmentKeys.wave(waveId).pk,
          ':task': fulfillmentKeys.taskPrefix,
        },
        ConsistentRead: true,
      }),
  };
}
