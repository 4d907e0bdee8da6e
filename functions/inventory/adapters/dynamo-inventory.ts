import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, type TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type AuditPut, auditCancelled, auditCommitted, auditPut, writeAudited } from '#shared/audit';
import { documentClient, LENIENT_NUMBERS } from '#shared/clients';
import { decodeCursor, encodeCursor, tableName, withoutKeys } from '#shared/table';
import type {
  BinChange,
  BinStore,
  ChangeFailure,
  ChangeOutcome,
  LedgerStore,
  PositionChange,
  PositionStore,
  ReservationStore,
  ReservationWrite,
} from '../core/ports.ts';
import { emptyPosition } from '../core/stock-position.ts';
import { inventoryKeys } from '../keys.ts';
import { CLOSED_STATUS } from '../schemas/reservation.ts';
import type { Location, PositionKey, StockPosition } from '../schemas/stock.ts';
import {
  binItem,
  binMoveItem,
  ENTITY,
  encodeLastOp,
  movementItem,
  positionAttributes,
  reservationItem,
  toBin,
  toBinStock,
  toMovement,
  toPosition,
  toReservation,
} from './items.ts';
import { binUpdate, classifyFailure, positionUpdate } from './position-update.ts';
import { withRetry } from './transient.ts';

export interface DynamoOptions {
  db?: DynamoDBDocumentClient;
  table?: string;
  /** How long a SKU's shard count is cached in this process. @default 30 s */
  shardCacheMs?: number;
}

type Raw = Record<string, unknown>;

/**
 * A ClientRequestToken (at most 36 characters) for a retry key: DynamoDB applies a transaction
 * once per token for 10 minutes and answers IdempotentParameterMismatch when the token comes back
 * with another body.
 */
const requestToken = (retryKey: string): string =>
  createHash('sha256').update(retryKey).digest('base64url').slice(0, 36);

const shiftMs = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();
const unmarshallItem = (item: unknown): Raw | undefined =>
  item ? (unmarshall(item as Parameters<typeof unmarshall>[0], LENIENT_NUMBERS) as Raw) : undefined;

function positionItem(p: StockPosition): Raw {
  return {
    ...inventoryKeys.position(p.sku, p.locationId, p.shard),
    entity: ENTITY.position,
    ...positionAttributes(p),
  };
}

/** DynamoDB adapters for positions, reservations and the ledger, sharing one client and table. */
export function dynamoInventory(opts: DynamoOptions = {}) {
  const db = opts.db ?? documentClient();
  const table = opts.table ?? tableName();
  const shardCache = new Map<string, { shards: number; at: number }>();
  const shardCacheMs = opts.shardCacheMs ?? 30_000;

  const send = <T>(op: () => Promise<T>) => withRetry(op);

  async function getItem(key: { pk: string; sk: string }): Promise<Raw | undefined> {
    const out = await send(() =>
      db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true })),
    );
    return out.Item;
  }

  async function queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Raw[]> {
    const items: Raw[] = [];
    let start: Raw | undefined;
    do {
      const out = await send(() =>
        db.send(new QueryCommand({ TableName: table, ...input, ExclusiveStartKey: start })),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** The record's revision as a condition: unchanged since the caller read it. */
  const revisionCondition = (revision: number | undefined) =>
    revision === undefined ? 'attribute_not_exists(#revision)' : '#revision = :revision';

  function reservationTxItem(w: ReservationWrite) {
    if (w.kind === 'create') {
      return {
        Put: {
          TableName: table,
          Item: reservationItem(w.reservation),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
    }
    if (w.kind === 'shrink') {
      return {
        Update: {
          TableName: table,
          Key: inventoryKeys.reservation(w.reservationId),
          UpdateExpression:
            'SET allocations = :allocations, #revision = :next, updatedAt = :at ADD shortPickKeys :keys',
          ConditionExpression: `#status = :open AND ${revisionCondition(w.revision)} AND NOT contains(shortPickKeys, :key)`,
          ExpressionAttributeNames: { '#status': 'status', '#revision': 'revision' },
          ExpressionAttributeValues: {
            ':open': 'open',
            ':allocations': w.allocations,
            ':next': (w.revision ?? 0) + 1,
            ':at': w.at,
            ':key': w.key,
            ':keys': new Set([w.key]),
            ...(w.revision === undefined ? {} : { ':revision': w.revision }),
          },
        },
      };
    }
    return {
      Update: {
        TableName: table,
        Key: inventoryKeys.reservation(w.reservationId),
        UpdateExpression: `SET #status = :to, closedAt = :at, closedBy = :by${w.reason ? ', closeReason = :reason' : ''}${
          w.allocations ? ', allocations = :allocations' : ''
        } REMOVE gsi2pk, gsi2sk`,
        // A short pick changes an open record's allocations: a close computed before it must not pass.
        ConditionExpression: `#status = :open AND ${revisionCondition(w.revision)}`,
        ExpressionAttributeNames: { '#status': 'status', '#revision': 'revision' },
        ExpressionAttributeValues: {
          ':to': CLOSED_STATUS[w.action],
          ':open': 'open',
          ':at': w.at,
          ':by': w.by,
          ...(w.reason ? { ':reason': w.reason } : {}),
          ...(w.allocations ? { ':allocations': w.allocations } : {}),
          ...(w.revision === undefined ? {} : { ':revision': w.revision }),
        },
      },
    };
  }

  const binTxItems = (bins: readonly BinChange[] | undefined, at: string) =>
    (bins ?? [])
      .filter((b) => b.delta !== 0)
      .map((b) => ({
        Update: {
          TableName: table,
          ...binUpdate(b, at),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        },
      }));

  /** Bins whose condition failed in a cancelled transaction, from their reasons (ALL_OLD). */
  function binShortages(
    bins: readonly BinChange[],
    reasons: readonly { Code?: string; Item?: unknown }[],
  ): (BinChange & { available: number })[] {
    return bins.flatMap((bin, i) => {
      const reason = reasons[i];
      if (reason?.Code !== 'ConditionalCheckFailed') return [];
      return [{ ...bin, available: Number(unmarshallItem(reason.Item)?.quantity ?? 0) }];
    });
  }

  /**
   * A position change made by an audited command, or one that moves bins: the UpdateItem, the bin
   * updates and the command's audit record in one transaction. A transaction returns no item, so
   * when the caller wants the item back it is read (consistently) right after; if another write
   * has changed it since, the change is answered applied with that `current` item (the caller
   * does not wait for the ledger).
   */
  async function applyInTransaction(
    change: PositionChange,
    audit: AuditPut | undefined,
    returnItem: boolean,
  ): Promise<ChangeOutcome> {
    const update = {
      TableName: table,
      ...positionUpdate(change, change.op.at),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
    const bins = (change.bins ?? []).filter((b) => b.delta !== 0);
    let uncertain = false;
    try {
      await withRetry(
        () =>
          db.send(
            new TransactWriteCommand({
              TransactItems: [
                { Update: update },
                ...binTxItems(change.bins, change.op.at),
                ...(audit ? [audit] : []),
              ],
            }),
          ),
        {
          onUncertain: () => {
            uncertain = true;
          },
        },
      );
    } catch (error) {
      const reasons = (error as TransactionCanceledException).CancellationReasons;
      if ((error as Error).name !== 'TransactionCanceledException' || !reasons) throw error;
      auditCancelled(audit, reasons);
      const reason = reasons[0];
      if (reason?.Code === 'ConditionalCheckFailed') {
        const old = unmarshallItem(reason.Item);
        const failure = classifyFailure(change, old ? toPosition(old) : undefined);
        return failure.status === 'duplicate' && uncertain ? { ...failure, ownRetry: true } : failure;
      }
      const [short] = binShortages(bins, reasons.slice(1));
      if (short) return { status: 'bin-short', shortage: short };
      throw error;
    }
    auditCommitted(audit);
    if (!returnItem) return { status: 'applied' };
    const item = await getItem(update.Key);
    if (item && item.lastOp === encodeLastOp(change.op))
      return { status: 'applied', after: toPosition(item) };
    // Another write landed between our commit and the read: ours is applied all the same.
    return { status: 'applied', current: toPosition(item ?? {}) };
  }

  const positions: PositionStore = {
    async apply(change, opts = {}) {
      const returnItem = opts.returnItem ?? true;
      const audit = auditPut(table);
      if (audit || change.bins?.some((b) => b.delta !== 0))
        return applyInTransaction(change, audit, returnItem);
      const parts = positionUpdate(change, change.op.at);
      let uncertain = false;
      try {
        const out = await withRetry(
          () =>
            db.send(
              new UpdateCommand({
                TableName: table,
                ...parts,
                ReturnValues: returnItem ? 'ALL_NEW' : 'NONE',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              }),
            ),
          {
            onUncertain: () => {
              uncertain = true;
            },
          },
        );
        return returnItem
          ? { status: 'applied', after: toPosition(out.Attributes ?? {}) }
          : { status: 'applied' };
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          const old = unmarshallItem(error.Item);
          const failure = classifyFailure(change, old ? toPosition(old) : undefined);
          return failure.status === 'duplicate' && uncertain ? { ...failure, ownRetry: true } : failure;
        }
        throw error;
      }
    },

    /**
     * A one-item TransactWriteItems: on AWS it costs 2 write units for a small item, and the
     * item stays small (no hold ids), where an UpdateItem recognising retries had to carry every
     * open hold and was billed for all of them. The token makes it idempotent for 10 minutes;
     * a transaction cancelled by its condition leaves no token behind (measured on DynamoDB
     * Local; reserve-stock.ts copes if AWS remembers one).
     */
    async reserve(change, retryKey) {
      const audit = auditPut(table);
      const token = requestToken(retryKey);
      let uncertain = 0;
      const command = () =>
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table,
                // After an attempt that may have committed, the retry differs (its updatedAt by a
                // millisecond per attempt): had that attempt committed, the token answers
                // IdempotentParameterMismatch at once — a reply that cannot be "lost" like a success.
                ...positionUpdate(change, uncertain ? shiftMs(change.op.at, uncertain) : change.op.at),
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
              },
            },
            ...(audit ? [audit] : []),
          ],
          ClientRequestToken: token,
        });
      try {
        await withRetry(() => db.send(command()), {
          onUncertain: () => {
            uncertain++;
          },
        });
      } catch (error) {
        if ((error as Error).name === 'IdempotentParameterMismatchException') {
          // An earlier attempt of this very call committed, or another call's within the window.
          if (uncertain) {
            auditCommitted(audit);
            return { status: 'applied' };
          }
          return { status: 'repeat' };
        }
        const reasons = (error as TransactionCanceledException).CancellationReasons;
        if ((error as Error).name !== 'TransactionCanceledException' || !reasons) throw error;
        auditCancelled(audit, reasons);
        const reason = reasons[0];
        if (reason?.Code !== 'ConditionalCheckFailed') throw error;
        const old = unmarshallItem(reason.Item);
        return classifyFailure(change, old ? toPosition(old) : undefined);
      }
      auditCommitted(audit);
      return { status: 'applied' };
    },

    async transact(changes, reservation) {
      const items = changes.map((change) => ({
        Update: {
          TableName: table,
          ...positionUpdate(change, change.op.at),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        },
      }));
      const bins = changes.flatMap((c) => (c.bins ?? []).filter((b) => b.delta !== 0));
      const binItems = changes.flatMap((c) => binTxItems(c.bins, c.op.at));
      // Moving units between shards of one position changes no total: housekeeping, not the command's change.
      const audit = changes.every((c) => c.op.kind === 'rebalance') ? undefined : auditPut(table);
      const transactItems = [
        ...(reservation ? [reservationTxItem(reservation)] : []),
        ...items,
        ...binItems,
        ...(audit ? [audit] : []),
      ];
      const offset = reservation ? 1 : 0;
      let uncertain = false;
      try {
        await withRetry(() => db.send(new TransactWriteCommand({ TransactItems: transactItems })), {
          onUncertain: () => {
            uncertain = true;
          },
        });
        auditCommitted(audit);
        return { status: 'applied' };
      } catch (error) {
        const reasons = (error as TransactionCanceledException).CancellationReasons;
        if ((error as Error).name !== 'TransactionCanceledException' || !reasons) throw error;
        auditCancelled(audit, reasons);
        const failures: (ChangeFailure | undefined)[] = changes.map((change, i) => {
          const reason = reasons[i + offset];
          if (reason?.Code !== 'ConditionalCheckFailed') return undefined;
          const old = unmarshallItem(reason.Item);
          return classifyFailure(change, old ? toPosition(old) : undefined);
        });
        const binShort = binShortages(bins, reasons.slice(offset + changes.length));
        return {
          status: 'failed',
          changes: failures,
          reservationFailed: Boolean(reservation) && reasons[0]?.Code === 'ConditionalCheckFailed',
          ...(uncertain ? { ownRetry: true } : {}),
          ...(binShort.length ? { binShort } : {}),
        };
      }
    },

    async ensure(key) {
      if (key.shard === 0) {
        // The marker first: a position that exists is always listed at its location.
        await send(() =>
          db.send(
            new PutCommand({
              TableName: table,
              Item: {
                ...inventoryKeys.stockedAt(key.sku, key.locationId),
                entity: 'StockedAt',
                sku: key.sku,
                locationId: key.locationId,
              },
            }),
          ),
        );
      }
      try {
        await send(() =>
          db.send(
            new PutCommand({
              TableName: table,
              Item: positionItem(emptyPosition(key.sku, key.locationId, key.shard, new Date().toISOString())),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    async get(key) {
      const item = await getItem(inventoryKeys.position(key.sku, key.locationId, key.shard));
      return item ? toPosition(item) : undefined;
    },

    async shardsOf(sku, locationId, shards) {
      const keys = Array.from({ length: shards }, (_, n) => inventoryKeys.position(sku, locationId, n));
      const found: StockPosition[] = [];
      for (let i = 0; i < keys.length; i += 100) {
        let pending: Raw[] | undefined = keys.slice(i, i + 100);
        while (pending && pending.length > 0) {
          const request: Raw[] = pending;
          const out = await send(() =>
            db.send(
              new BatchGetCommand({ RequestItems: { [table]: { Keys: request, ConsistentRead: true } } }),
            ),
          );
          for (const item of out.Responses?.[table] ?? []) found.push(toPosition(item));
          pending = out.UnprocessedKeys?.[table]?.Keys as Raw[] | undefined;
        }
      }
      return found.sort((a, b) => a.shard - b.shard);
    },

    async headsOf(sku) {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': inventoryKeys.positionsOf(sku).pk },
        ConsistentRead: true,
      });
      const config = items.find((i) => i.sk === inventoryKeys.stockConfig(sku).sk);
      const shards = Number(config?.shards ?? 1);
      shardCache.set(sku, { shards, at: Date.now() });
      return {
        heads: items.filter((i) => String(i.sk).startsWith(inventoryKeys.positionSkPrefix)).map(toPosition),
        shards,
      };
    },

    async shardCount(sku) {
      const cached = shardCache.get(sku);
      if (cached && Date.now() - cached.at < shardCacheMs) return cached.shards;
      const item = await getItem(inventoryKeys.stockConfig(sku));
      const shards = Number(item?.shards ?? 1);
      shardCache.set(sku, { shards, at: Date.now() });
      return shards;
    },

    async setShardCount(sku, shards) {
      const config = { sku, shards, updatedAt: new Date().toISOString() };
      await send(() =>
        writeAudited(
          db,
          {
            Put: {
              TableName: table,
              Item: { ...inventoryKeys.stockConfig(sku), entity: 'StockConfig', ...config },
            },
          },
          { state: config },
        ),
      );
      shardCache.set(sku, { shards, at: Date.now() });
    },

    async pruneDone(key, keys) {
      if (keys.length === 0) return;
      const names: Record<string, string> = { '#done': 'done', '#pk': 'pk' };
      keys.forEach((k, i) => {
        names[`#k${i}`] = k;
      });
      try {
        await send(() =>
          db.send(
            new UpdateCommand({
              TableName: table,
              Key: inventoryKeys.position(key.sku, key.locationId, key.shard),
              UpdateExpression: `REMOVE ${keys.map((_, i) => `#done.#k${i}`).join(', ')}`,
              ConditionExpression: 'attribute_exists(#pk)',
              ExpressionAttributeNames: names,
            }),
          ),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    async skusAt(locationId) {
      const items = await queryAll({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': inventoryKeys.positionsAtLocation(locationId) },
      });
      return [...new Set(items.map((i) => String(i.sku)))];
    },

    async getLocation(id) {
      const item = await getItem(inventoryKeys.location(id));
      return item ? (withoutKeys(item) as unknown as Location) : undefined;
    },

    async putLocation(location) {
      await send(() =>
        writeAudited(
          db,
          {
            Put: {
              TableName: table,
              Item: {
                ...inventoryKeys.location(location.locationId),
                ...inventoryKeys.locationIndex(location.locationId),
                entity: 'Location',
                ...location,
              },
            },
          },
          { state: location },
        ),
      );
    },
  };

  const reservations: ReservationStore = {
    async get(id) {
      const item = await getItem(inventoryKeys.reservation(id));
      return item ? toReservation(item) : undefined;
    },

    async createIfAbsent(reservation) {
      try {
        await send(() =>
          db.send(
            new PutCommand({
              TableName: table,
              Item: reservationItem(reservation),
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        );
        return { created: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const old = unmarshallItem(error.Item);
        const existing = old ? toReservation(old) : await reservations.get(reservation.reservationId);
        if (!existing) throw error;
        return { created: false, existing };
      }
    },

    async expiredBefore(now, limit) {
      const found: Raw[] = [];
      for (const pk of inventoryKeys.expiryPartitions()) {
        const out = await send(() =>
          db.send(
            new QueryCommand({
              TableName: table,
              IndexName: 'gsi2',
              KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :now',
              ExpressionAttributeValues: { ':pk': pk, ':now': now },
              Limit: limit,
            }),
          ),
        );
        found.push(...(out.Items ?? []));
      }
      return found
        .map(toReservation)
        .filter((r) => r.status === 'open')
        .sort((a, b) => (a.expiresAt ?? '').localeCompare(b.expiresAt ?? ''))
        .slice(0, limit);
    },
  };

  const ledger: LedgerStore = {
    async putAll(movements) {
      const requests = movements.map((m) => ({ PutRequest: { Item: movementItem(m) } }));
      for (let i = 0; i < requests.length; i += 25) {
        let pending: typeof requests | undefined = requests.slice(i, i + 25);
        for (let attempt = 1; pending && pending.length > 0; attempt++) {
          const batch: typeof requests = pending;
          const out = await send(() => db.send(new BatchWriteCommand({ RequestItems: { [table]: batch } })));
          pending = out.UnprocessedItems?.[table] as typeof requests | undefined;
          if (pending?.length) await new Promise((r) => setTimeout(r, Math.min(500, 10 * 2 ** attempt)));
        }
      }
    },

    async putIfAbsent(movement) {
      try {
        await send(() =>
          writeAudited(
            db,
            {
              Put: {
                TableName: table,
                Item: movementItem(movement),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { state: movement },
          ),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async get(movementId) {
      const item = await getItem(inventoryKeys.movement(movementId));
      return item ? toMovement(item) : undefined;
    },

    async atTime(key, at) {
      const pk = inventoryKeys.movementIndex({ ...key, version: 0, occurredAt: at, movementId: '' }).gsi1pk;
      const items = await queryAll({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :at)',
        ExpressionAttributeValues: { ':pk': pk, ':at': `${at}#` },
      });
      return items
        .map(toMovement)
        .filter((m) => m.locationId === key.locationId && m.shard === key.shard && m.sku === key.sku);
    },

    async ofItem(key: PositionKey) {
      const items = await queryAll({
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': inventoryKeys.itemLedger(key) },
      });
      return items.map(toMovement).sort((a, b) => a.version - b.version);
    },

    async ofSku(sku, { locationId, limit, cursor, order }) {
      const after = decodeCursor(cursor)?.after;
      const asc = order === 'asc';
      const perPartition = await Promise.all(
        inventoryKeys.skuLedgerPartitions(sku).map(async (pk) => {
          const values: Raw = { ':pk': pk };
          let keyCond = 'gsi1pk = :pk';
          if (typeof after === 'string') {
            keyCond += asc ? ' AND gsi1sk > :after' : ' AND gsi1sk < :after';
            values[':after'] = after;
          }
          if (locationId) values[':loc'] = locationId;
          const got: Raw[] = [];
          let start: Raw | undefined;
          let exhausted = false;
          // Enough from each partition to fill a page whatever the merge takes from it.
          while (got.length <= limit) {
            const out = await send(() =>
              db.send(
                new QueryCommand({
                  TableName: table,
                  IndexName: 'gsi1',
                  KeyConditionExpression: keyCond,
                  ...(locationId ? { FilterExpression: 'locationId = :loc' } : {}),
                  ExpressionAttributeValues: values,
                  ScanIndexForward: asc,
                  Limit: limit + 1,
                  ExclusiveStartKey: start,
                }),
              ),
            );
            got.push(...(out.Items ?? []));
            start = out.LastEvaluatedKey;
            if (!start) {
              exhausted = true;
              break;
            }
          }
          return { got, exhausted };
        }),
      );
      const merged = perPartition
        .flatMap((p) => p.got)
        .sort((a, b) => (asc ? 1 : -1) * String(a.gsi1sk).localeCompare(String(b.gsi1sk)));
      const page = merged.slice(0, limit);
      const more = merged.length > limit || perPartition.some((p) => !p.exhausted);
      const last = page.at(-1);
      return {
        items: page.map(toMovement),
        ...(more && last ? { cursor: encodeCursor({ after: last.gsi1sk }) } : {}),
      };
    },
  };

  const bins: BinStore = {
    async definitionsAt(locationId) {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :bin)',
        ExpressionAttributeValues: {
          ':pk': inventoryKeys.location(locationId).pk,
          ':bin': inventoryKeys.binSkPrefix,
        },
      });
      return items.map(toBin);
    },

    async definition(locationId, binId) {
      const item = await getItem(inventoryKeys.bin(locationId, binId));
      return item ? toBin(item) : undefined;
    },

    async putDefinition(bin) {
      await send(() => writeAudited(db, { Put: { TableName: table, Item: binItem(bin) } }, { state: bin }));
    },

    async stockOf(sku, locationId) {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': inventoryKeys.binStockOf(sku, locationId) },
        ConsistentRead: true,
      });
      return items.map(toBinStock);
    },

    async move(movement, changes) {
      const audit = auditPut(table, movement);
      const put = {
        Put: {
          TableName: table,
          Item: binMoveItem(movement),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        },
      };
      let uncertain = false;
      try {
        await withRetry(
          () =>
            db.send(
              new TransactWriteCommand({
                TransactItems: [put, ...binTxItems(changes, movement.occurredAt), ...(audit ? [audit] : [])],
              }),
            ),
          {
            onUncertain: () => {
              uncertain = true;
            },
          },
        );
      } catch (error) {
        const reasons = (error as TransactionCanceledException).CancellationReasons;
        if ((error as Error).name !== 'TransactionCanceledException' || !reasons) throw error;
        auditCancelled(audit, reasons);
        if (reasons[0]?.Code === 'ConditionalCheckFailed') {
          const old = unmarshallItem(reasons[0].Item);
          const existing = old ? toMovement(old) : await ledger.get(movement.movementId);
          if (!existing) throw error;
          return { status: 'duplicate', existing, ...(uncertain ? { ownRetry: true } : {}) };
        }
        const [short] = binShortages(
          changes.filter((c) => c.delta !== 0),
          reasons.slice(1),
        );
        if (short) return { status: 'bin-short', shortage: short };
        throw error;
      }
      auditCommitted(audit);
      return { status: 'applied' };
    },

    async stockAt(locationId) {
      const items = await queryAll({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': inventoryKeys.binStockAt(locationId) },
      });
      return items.map(toBinStock);
    },
  };

  return { positions, reservations, ledger, bins, db, table };
}
