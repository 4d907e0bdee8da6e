import type { PutEventsResultEntry } from './bus.ts';

/** The messages between the local runtime and its background Lambda worker thread. */
export interface WorkerRequest {
  id: number;
  fn: string;
  entry: string;
  timeoutSeconds: number;
  memoryMb: number;
  event: unknown;
}

export type WorkerReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string; stack?: string; fields: object } };

/**
 * A handler on the worker calling an emulated AWS API (EventBridge, Step Functions): the SDK's
 * request as the emulator reads it, handed to the main thread instead of sent over loopback TCP.
 */
export interface WorkerAwsCall {
  awsCall: number;
  target: string;
  body: string;
  /**
   * A PutEvents the worker answered itself (`answerPutEvents`): the main thread delivers its
   * events under these answers and sends no reply.
   */
  accepted?: PutEventsResultEntry[];
}

/** The main thread's answer to a `WorkerAwsCall`, as the emulator's HTTP reply would carry it. */
export interface AwsCallReply {
  awsCall: number;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the worker is started with (`workerData`). */
export interface WorkerOptions {
  /** Steps added to the worker thread's nice value (LocalLambdasOptions.backgroundNice). */
  nice: number;
}
