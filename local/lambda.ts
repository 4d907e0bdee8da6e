import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { SystemManifest } from '../lib/manifest/types.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * Runs the real Lambda handlers in this process. Modules are imported on first use (a cold
 * start) after the runtime has set the environment they read at module scope.
 */
export class LocalLambdas {
  private readonly loaded = new Map<string, Promise<Handler>>();
  constructor(
    private readonly manifest: SystemManifest,
    private readonly root: string,
  ) {}

  has(fn: string): boolean {
    return fn in this.manifest.functions;
  }

  async invoke(fn: string, event: unknown): Promise<unknown> {
    const handler = await this.load(fn);
    const spec = this.manifest.functions[fn];
    const timeoutMs = (spec?.timeoutSeconds ?? 10) * 1000;
    const deadline = Date.now() + timeoutMs;
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      functionName: `qm-local-${fn}`,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:qm-local-${fn}`,
      memoryLimitInMB: String(spec?.memoryMb ?? 512),
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/qm-local-${fn}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    } satisfies Context;
    return handler(event, context);
  }

  private load(fn: string): Promise<Handler> {
    let pending = this.loaded.get(fn);
    if (!pending) {
      const spec = this.manifest.functions[fn];
      if (!spec) throw new Error(`Unknown function ${fn}`);
      pending = import(pathToFileURL(path.join(this.root, spec.entry)).href).then(
        (mod: { handler?: Handler }) => {
          if (typeof mod.handler !== 'function') throw new Error(`${spec.entry} does not export a handler`);
          return mod.handler;
        },
      );
      this.loaded.set(fn, pending);
    }
    return pending;
  }
}
