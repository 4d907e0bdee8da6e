import { parentPort, workerData } from 'node:worker_threads';
import { LOCAL_AWS_TRANSPORT, type LocalAwsTransport } from '../functions/shared/clients.ts';
import { ENV } from '../functions/shared/env.ts';
import { answerPutEvents, httpReply, PUT_EVENTS } from './aws-emulator.ts';
import { loadHandler, runHandler } from './lambda.ts';
import type {
  AwsCallReply,
  WorkerAwsCall,
  WorkerOptions,
  WorkerReply,
  WorkerRequest,
} from './lambda-protocol.ts';
import { lowerThisThreadPriority } from './thread-priority.ts';

/**
 * The background lane's Lambda "container": a worker thread with its own event loop and its own
 * copy of every handler module (and of their caches, as separate Lambda containers have).
 * It runs what the main thread sends — bus targets, stream batches, workflow tasks, schedules —
 * and answers with the result or the error (name, message and fields, so Retry/Catch still match).
 */
const port = parentPort;
if (port) {
  // Behind the API's thread when both want a CPU (LocalLambdasOptions.backgroundNice).
  lowerThisThreadPriority((workerData as WorkerOptions | undefined)?.nice ?? 0);
  // Emulated AWS calls (PutEvents, StartExecution) go to the main thread, which owns the bus and
  // the workflows, as messages: no loopback HTTP on either side (functions/shared/clients.ts).
  const awsCalls = new Map<number, (reply: AwsCallReply) => void>();
  let nextAwsCall = 0;
  const busName = process.env[ENV.busName];
  const transport: LocalAwsTransport = (target, body) => {
    const awsCall = nextAwsCall++;
    if (target === PUT_EVENTS && busName) {
      // Answered here, as EventBridge answers once it has taken the events; the main thread
      // delivers them under the same ids when it reads the message (messages keep their order,
      // so before this invocation's end). Waiting for its reply cost every order a turn of the
      // main thread's loop, which is longest exactly while webhooks pour in.
      const { reply, accepted } = answerPutEvents(body, busName);
      if (accepted) port.postMessage({ awsCall, target, body, accepted } satisfies WorkerAwsCall);
      return Promise.resolve({ awsCall, ...httpReply(reply) });
    }
    return new Promise((resolve) => {
      awsCalls.set(awsCall, resolve);
      port.postMessage({ awsCall, target, body } satisfies WorkerAwsCall);
    });
  };
  Object.assign(globalThis, { [LOCAL_AWS_TRANSPORT]: transport });
  port.on('message', async (req: WorkerRequest | AwsCallReply) => {
    if ('awsCall' in req) {
      awsCalls.get(req.awsCall)?.(req);
      awsCalls.delete(req.awsCall);
      return;
    }
    try {
      const handler = await loadHandler(req.entry);
      const result = await runHandler(handler, req.fn, req, req.event);
      port.postMessage({ id: req.id, ok: true, result } satisfies WorkerReply);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      // Own enumerable fields (a domain error's code, status, details) survive as plain data.
      const fields = JSON.parse(JSON.stringify({ ...error })) as object;
      port.postMessage({
        id: req.id,
        ok: false,
        error: {
          name: error.name,
          message: error.message,
          ...(error.stack ? { stack: error.stack } : {}),
          fields,
        },
      } satisfies WorkerReply);
    }
  });
}
