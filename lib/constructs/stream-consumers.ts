import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import type { StreamConsumerSpec } from '../manifest/types.ts';
import { toPascal } from '../naming.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { NamedFunction } from './lambda-metrics.ts';

/** A poisoned record is retried this many times (with bisection) before going to the DLQ. */
export const STREAM_RETRY_ATTEMPTS = 8;

export interface StreamConsumersProps {
  readonly streams: readonly StreamConsumerSpec[];
  readonly table: dynamodb.ITable;
  /** Manifest name → function. */
  readonly functions: ReadonlyMap<string, lambda.IFunction & NamedFunction>;
}

/**
 * Table-stream consumers (reservation records, ledger movements, projections). They start at
 * TRIM_HORIZON so a new consumer catches up on the last 24 h, split a failing batch to isolate
 * the bad record, and send its metadata to an SQS queue instead of blocking the shard.
 */
export class StreamConsumers extends Construct {
  /** Consumer name → its on-failure queue. */
  readonly deadLetterQueues: ReadonlyMap<string, DeadLetterQueue>;
  /** Consumer name → the function its event source mapping invokes (for iterator-age alarms). */
  readonly functions: ReadonlyMap<string, NamedFunction>;

  constructor(scope: Construct, id: string, props: StreamConsumersProps) {
    super(scope, id);
    const dlqs = new Map<string, DeadLetterQueue>();
    const functions = new Map<string, NamedFunction>();
    for (const spec of props.streams) {
      const fn = props.functions.get(spec.fn);
      if (!fn) throw new Error(`Stream consumer ${spec.name} refers to unknown function ${spec.fn}`);
      const deadLetterQueue = new DeadLetterQueue(this, `${toPascal(spec.name)}Dlq`, {
        purpose: `stream records consumer ${spec.name} gave up on`,
      });
      fn.addEventSource(
        new DynamoEventSource(props.table, {
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          batchSize: spec.batchSize ?? 100,
          bisectBatchOnError: true,
          retryAttempts: STREAM_RETRY_ATTEMPTS,
          reportBatchItemFailures: true,
          onFailure: new SqsDlq(deadLetterQueue),
          ...(spec.filters ? { filters: spec.filters.map((f) => lambda.FilterCriteria.filter(f)) } : {}),
        }),
      );
      dlqs.set(spec.name, deadLetterQueue);
      functions.set(spec.name, fn);
    }
    this.deadLetterQueues = dlqs;
    this.functions = functions;
  }
}
