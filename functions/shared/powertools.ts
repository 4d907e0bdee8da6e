import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** One instance of each per process: Lambda reuses them across invocations. (The tracer: tracing.ts.) */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'quartermaster' });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Quartermaster',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'quartermaster',
});
