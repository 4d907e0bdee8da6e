import type { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { fulfillmentKeys } from '../keys.ts';
import type { Fulfillment } from '../schemas/fulfillment.ts';

/**
 * What the fulfillment store (records, waves, picking) and the shipment store (pack, ship,
 * workflow bookkeeping) both do to the same items: versioned patches and conditional writes.
 */

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;
export type Update = NonNullable<TransactItems[number]['Update']>;

/** A condition the write needs besides the version (with its placeholders). */
export interface ExtraCondition {
  condition: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** `SET`/`REMOVE` for every field of a patch (undefined removes), plus the version bump. */
export function patchExpression(
  patch: Record<string, unknown>,
  expectedVersion: number,
  extra?: ExtraCondition,
) {
  const names: Record<string, string> = { '#version': 'version', ...extra?.names };
  const values: Record<string, unknown> = { ':expected': expectedVersion, ':one': 1, ...extra?.values };
  const sets = ['#version = #version + :one'];
  const removes: string[] = [];
  Object.entries(patch).forEach(([field, value], i) => {
    names[`#p${i}`] = field;
    if (value === undefined) removes.push(`#p${i}`);
    else {
      values[`:p${i}`] = value;
      sets.push(`#p${i} = :p${i}`);
    }
  });
  return {
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: `#version = :expected${extra ? ` AND ${extra.condition}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** A fulfillment's change, its work-queue keys following its status and cutoff. */
export function fulfillmentUpdate(
  table: string,
  before: Fulfillment,
  patch: Record<string, unknown>,
  extra?: ExtraCondition,
): Update {
  const merged = { ...before, ...patch } as Fulfillment;
  if ('cutoffAt' in patch && patch.cutoffAt === undefined) delete merged.cutoffAt;
  const expression = patchExpression(
    { ...patch, ...fulfillmentKeys.fulfillmentQueue(merged) },
    before.version,
    extra,
  );
  return { TableName: table, Key: fulfillmentKeys.fulfillment(before.fulfillmentId), ...expression };
}

/** Runs a conditional write: false when its condition failed (someone wrote first), true when written. */
export async function ifConditionHolds(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if ((error as Error | undefined)?.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
