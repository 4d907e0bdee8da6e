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
