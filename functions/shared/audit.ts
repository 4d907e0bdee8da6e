import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { documentClient } from './clients.ts';
import { AuditNotRecorded } from './errors.ts';
import { logger } from './powertools.ts';
import { tableName } from './table.ts';

/**
 * The audit trail: one record per command that reached a handler through the API (who, which
 * role, what, on what, outcome, input, before/after, correlation id, source IP).
 * Items: pk AUDIT#<auditId> sk AUDIT; gsi1 AUDITDAY#<yyyy-mm-dd> / <at>#<id> (time range);
 * gsi2 AUDITBY#<actor> / <at>#<id> (one person's actions).
 *
 * Audit is part of the command: the record of a change is written in the same DynamoDB
 * transaction as the change (`auditPut()`), or before a change that is not a table write
 * (`recordAuditFirst()`), or the command fails. See `runAudited()` for the whole life of a record.
 */
export interface AuditEntry {
  auditId: string;
  at: string;
  actor: string;
  roles: string[];
  action: string;
  target: Record<string, string>;
  path: string;
  /** The HTTP status answered; absent only while the command runs (or if it died before answering). */
  status?: number;
  /**
   * - `succeeded`: the change committed together with this record (or was confirmed after a
   *   `requested` record);
   * - `requested`: written before a side effect that is not a table write; becomes `succeeded` or
   *   `rejected` once the command answers;
   * - `unchanged`: the command answered success without changing anything (a repeat answered with
   *   its first outcome, a simulation, a check);
   * - `rejected`: refused or failed; nothing changed.
   */
  outcome: AuditOutcome;
  correlationId: string;
  sourceIp?: string;
  userAgent?: string;
  /** The request body as sent, secrets redacted (not kept for refused commands). */
  input?: unknown;
  before?: unknown;
  after?: unknown;
}

type AuditOutcome = 'succeeded' | 'requested' | 'unchanged' | 'rejected';

export const auditKeys = {
  entry: (id: string) => ({ pk: `AUDIT#${id}`, sk: 'AUDIT' }),
  byDay: (day: string) => `AUDITDAY#${day}`,
  byActor: (actor: string) => `AUDITBY#${actor}`,
  sort: (at: string, id: string) => `${at}#${id}`,
};

/** Fields never written to the audit trail, whatever route they arrive on. */
const REDACTED = /secret|password|token|authorization/i;

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, REDACTED.test(k) ? '[redacted]' : redact(v)]),
    );
  }
  return value;
}

/**
 * An item is at most 400 KB, and a transaction fails whole when one of its items is too big: a
 * large body (a simulation's answer, a long rule set) must never make a command impossible.
 */
const MAX_KEPT_CHARS = 32_000;

function kept(value: unknown): unknown {
  if (value === undefined) return undefined;
  const redacted = redact(value);
  const size = JSON.stringify(redacted)?.length ?? 0;
  return size > MAX_KEPT_CHARS ? { omitted: 'too large to keep in the audit trail', chars: size } : redacted;
}

export function newAuditEntry(input: Omit<AuditEntry, 'auditId' | 'at'>, now = new Date()): AuditEntry {
  return {
    auditId: randomUUID(),
    at: now.toISOString(),
    ...input,
    ...(input.input === undefined ? {} : { input: kept(input.input) }),
    ...(input.before === undefined ? {} : { before: kept(input.before) }),
    ...(input.after === undefined ? {} : { after: kept(input.after) }),
  };
}

function auditItem(entry: AuditEntry): Record<string, unknown> {
  const sort = auditKeys.sort(entry.at, entry.auditId);
  return {
    ...auditKeys.entry(entry.auditId),
    gsi1pk: auditKeys.byDay(entry.at.slice(0, 10)),
    gsi1sk: sort,
    gsi2pk: auditKeys.byActor(entry.actor),
    gsi2sk: sort,
    entity: 'AuditEntry',
    ...entry,
  };
}

const isConditionFailure = (error: unknown) =>
  (error as Error | undefined)?.name === 'ConditionalCheckFailedException';

/** Appends the entry (never overwrites); answers false when a record with its id exists already. */
async function putEntry(entry: AuditEntry, table: string): Promise<boolean> {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table,
        Item: auditItem(entry),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Best effort, after the fact: for refused commands, where nothing changed. Failures are logged. */
export async function recordAudit(entry: AuditEntry): Promise<void> {
  try {
    await putEntry(entry, tableName());
  } catch (error) {
    logger.error('Audit record could not be written', { error: error as Error, audit: entry });
  }
}

/* ------------------------------------------------------------------------------------------ */
/* The command's audit scope                                                                   */
/* ------------------------------------------------------------------------------------------ */

/**
 * - `pending`: nothing recorded yet; the next change this command writes carries the record;
 * - `recorded`: the record is in the table (with a change, or ahead of a side effect);
 * - `closed`: the request has answered; code still running from it records nothing.
 */
type ScopeState = 'pending' | 'recorded' | 'closed';

export interface AuditScope {
  readonly entry: AuditEntry;
  state: ScopeState;
  /** How the record got there: with a change (transaction) or ahead of a side effect. */
  via?: 'transaction' | 'first';
  /** The table the record went to (an adapter may be pointed at another table than the default). */
  table?: string;
}

const scopes = new AsyncLocalStorage<AuditScope>();

const current = (): AuditScope | undefined => {
  const scope = scopes.getStore();
  return scope && scope.state !== 'closed' ? scope : undefined;
};

/** The table Put of the running command's audit record, or undefined outside a command or once it is recorded. */
export interface AuditPut {
  Put: {
    TableName: string;
    Item: Record<string, unknown>;
    ConditionExpression: string;
  };
}

/**
 * The running command's audit record as a TransactWriteItems Put, to be appended LAST to the
 * transaction that makes the command's change; undefined outside an audited command or when
 * the record is already written. `state`, when given, is kept as `after` until the command
 * answers (then the answer replaces it). The key is the command's audit id: a retry of the
 * same call carries the same record, and the condition refuses a second copy.
 */
export function auditPut(table: string, state?: unknown): AuditPut | undefined {
  const scope = current();
  if (scope?.state !== 'pending') return undefined;
  scope.table = table;
  const { after: _after, ...entry } = scope.entry;
  return {
    Put: {
      TableName: table,
      Item: auditItem({
        ...entry,
        outcome: 'succeeded',
        ...(state === undefined ? {} : { after: kept(state) }),
      }),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The transaction that carried `put` committed: the command's record is written. */
export function auditCommitted(put: AuditPut | undefined): void {
  const scope = current();
  if (!put || scope?.state !== 'pending') return;
  scope.state = 'recorded';
  scope.via = 'transaction';
}

interface CancellationReason {
  Code?: string;
}

/** The cancellation reasons of a TransactionCanceledException, or undefined for any other error. */
export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if ((error as Error | undefined)?.name !== 'TransactionCanceledException') return undefined;
  return (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons;
}

/**
 * Reads a cancelled transaction that carried `put` as its last item, before the adapter maps the
 * other reasons as it always has:
 * - the audit item alone failed: nothing was written, and the command must not go on as if it
 *   had been — throws AuditNotRecorded (503);
 * - the audit item exists already while another item failed too: an earlier attempt of this very
 *   call committed (its reply was lost), so the change and its record are both there.
 */
export function auditCancelled(put: AuditPut | undefined, reasons: readonly CancellationReason[]): void {
  if (!put || reasons.length === 0) return;
  const audit = reasons.at(-1)?.Code;
  if (!audit || audit === 'None') return;
  const othersFailed = reasons.slice(0, -1).some((r) => r.Code && r.Code !== 'None');
  if (!othersFailed) throw new AuditNotRecorded(`the audit record was refused (${audit})`);
  const scope = current();
  if (audit === 'ConditionalCheckFailed' && scope?.state === 'pending') {
    scope.state = 'recorded';
    scope.via = 'transaction';
  }
}

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/**
 * One transaction with the command's audit record as its last item: true when it committed, false
 * when one of its conditions failed (someone wrote first); any other error is thrown.
 */
export async function transactAudited(
  db: DynamoDBDocumentClient,
  table: string,
  items: TransactItems,
): Promise<boolean> {
  const audit = auditPut(table);
  try {
    await db.send(new TransactWriteCommand({ TransactItems: [...items, ...(audit ? [audit] : [])] }));
    auditCommitted(audit);
    return true;
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons) auditCancelled(audit, reasons);
    if (reasons?.some((r) => r.Code === 'ConditionalCheckFailed')) return false;
    throw error;
  }
}

/** One item write as a TransactWriteItems entry (the shapes PutItem, UpdateItem and DeleteItem take). */
type OneWrite =
  | { Put: ConstructorParameters<typeof PutCommand>[0] }
  | { Update: ConstructorParameters<typeof UpdateCommand>[0] }
  | { Delete: ConstructorParameters<typeof DeleteCommand>[0] };

/**
 * Writes one item. Inside an audited command that has not recorded yet, the write and the audit
 * record go in one transaction; otherwise it is the plain single-item call. Either way a failed
 * condition throws ConditionalCheckFailedException (with the old `Item` when the write asked for
 * it), so callers map refusals exactly as they always have.
 */
export async function writeAudited(
  db: DynamoDBDocumentClient,
  write: OneWrite,
  opts: { state?: unknown } = {},
): Promise<void> {
  const input = 'Put' in write ? write.Put : 'Update' in write ? write.Update : write.Delete;
  const put = auditPut(input.TableName ?? tableName(), opts.state);
  if (!put) {
    if ('Put' in write) await db.send(new PutCommand(write.Put));
    else if ('Update' in write) await db.send(new UpdateCommand(write.Update));
    else await db.send(new DeleteCommand(write.Delete));
    return;
  }
  // A transaction item takes no ReturnValues (ReturnValuesOnConditionCheckFailure it does).
  const { ReturnValues: _r, ...item } = input as typeof input & { ReturnValues?: unknown };
  const entry = 'Put' in write ? { Put: item } : 'Update' in write ? { Update: item } : { Delete: item };
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [entry, put] as ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems'],
      }),
    );
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (!reasons) throw error;
    auditCancelled(put, reasons);
    const first = reasons[0] as (CancellationReason & { Item?: unknown; Message?: string }) | undefined;
    if (first?.Code === 'ConditionalCheckFailed') {
      throw new ConditionalCheckFailedException({
        $metadata: {},
        message: first.Message ?? 'The conditional request failed',
        ...(first.Item ? { Item: first.Item as ConditionalCheckFailedException['Item'] } : {}),
      });
    }
    throw error;
  }
  auditCommitted(put);
}

/**
 * Writes the running command's record now, before a side effect that is not a table write
 * (sending a task token, starting a workflow), with outcome `requested`. Throws AuditNotRecorded
 * (503) when it cannot be written: the command then fails without acting. A no-op outside an
 * audited command or once its record is written.
 */
export async function recordAuditFirst(): Promise<void> {
  const scope = current();
  if (scope?.state !== 'pending') return;
  const table = tableName();
  try {
    await putEntry({ ...scope.entry, outcome: 'requested' }, table);
  } catch (error) {
    throw new AuditNotRecorded('the audit record could not be written', error);
  }
  // Written now, or by an earlier attempt of this very call: either way it is there.
  scope.state = 'recorded';
  scope.via = 'first';
  scope.table = table;
}

/** What the HTTP wrapper knows of a command before it runs. */
type PendingAudit = Omit<AuditEntry, 'auditId' | 'at' | 'status' | 'outcome' | 'before' | 'after'>;

/**
 * Runs a command with its audit scope. Once it answers, the record is completed:
 * - recorded with the change (or ahead of it): one UpdateItem adds the status, `before`/`after`
 *   and the final outcome of a `requested` record — best effort, the record already stands;
 * - not recorded and the command succeeded (it changed nothing through an audited write):
 *   written now as `unchanged`, and if that fails the command answers 503 (AuditNotRecorded);
 * - not recorded and the command failed: written now as `rejected`, best effort (nothing changed).
 */
export function openAuditScope(pending: PendingAudit, now = new Date()): AuditScope {
  const entry = newAuditEntry({ ...pending, outcome: 'succeeded' }, now);
  return { entry, state: 'pending' };
}

export function runAudited<T>(scope: AuditScope, fn: () => Promise<T>): Promise<T> {
  return scopes.run(scope, fn);
}

/** Completes the record of a command that answered success. Throws AuditNotRecorded if it cannot be written. */
export async function completeAudit(
  scope: AuditScope,
  answer: { status: number; before?: unknown; after?: unknown },
): Promise<void> {
  if (scope.state === 'pending') {
    const entry = { ...scope.entry, ...answerFields(answer), outcome: 'unchanged' as const };
    let written: boolean;
    try {
      written = await putEntry(entry, tableName());
    } catch (error) {
      throw new AuditNotRecorded('the audit record could not be written', error);
    }
    scope.state = 'recorded';
    // A record with this id exists: an earlier attempt of a write whose reply was lost committed it.
    if (written) return;
    scope.via = 'transaction';
  }
  await finishRecord(scope, answer, scope.via === 'first' ? 'succeeded' : undefined);
}

/** Completes the record of a command that answered an error. Best effort: nothing here fails the answer. */
export async function failAudit(scope: AuditScope, status: number): Promise<void> {
  if (scope.state === 'pending') {
    const { input: _input, ...entry } = scope.entry;
    await recordAudit({ ...entry, status, outcome: 'rejected' });
    return;
  }
  // Recorded with its change: that change committed, whatever went wrong after it.
  await finishRecord(scope, { status }, scope.via === 'first' ? 'rejected' : undefined);
}

/** Closes the scope: anything still running from the request records nothing. */
export function closeAuditScope(scope: AuditScope): void {
  scope.state = 'closed';
}

function answerFields(answer: { status: number; before?: unknown; after?: unknown }) {
  return {
    status: answer.status,
    ...(answer.before === undefined ? {} : { before: kept(answer.before) }),
    ...(answer.after === undefined ? {} : { after: kept(answer.after) }),
  };
}

async function finishRecord(
  scope: AuditScope,
  answer: { status: number; before?: unknown; after?: unknown },
  outcome: AuditOutcome | undefined,
): Promise<void> {
  const fields: Record<string, unknown> = { ...answerFields(answer), ...(outcome ? { outcome } : {}) };
  const names: Record<string, string> = { '#pk': 'pk' };
  const values: Record<string, unknown> = {};
  const sets = Object.entries(fields).map(([field, value], i) => {
    names[`#f${i}`] = field;
    values[`:f${i}`] = value;
    return `#f${i} = :f${i}`;
  });
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: scope.table ?? tableName(),
        Key: auditKeys.entry(scope.entry.auditId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    logger.error('Audit record could not be completed', {
      error: error as Error,
      auditId: scope.entry.auditId,
      ...fields,
    });
  }
}
