import type { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray subsegments around SDK calls, on AWS only. Importing the X-Ray SDK (behind the Powertools
 * Tracer) installs async hooks that tax every promise — about a tenth of the CPU of a busy local
 * runtime, with tracing switched off — so it is loaded only where it will trace: inside Lambda,
 * unless POWERTOOLS_TRACE_ENABLED is "false". The decision is made once, at cold start.
 */
const tracingOn =
  Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME) && process.env.POWERTOOLS_TRACE_ENABLED !== 'false';

const tracer: Tracer | undefined = tracingOn
  ? new (await import('@aws-lambda-powertools/tracer')).Tracer({
      serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'quartermaster',
    })
  : undefined;

/** The client itself, wrapped to record a subsegment per call when tracing is on. */
export function traced<T>(client: T): T {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}
