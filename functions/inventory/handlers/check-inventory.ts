import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { z } from 'zod';
import { skuCode } from '#catalog/api';
import { httpHandler, ok } from '#shared/http';
import { logger } from '#shared/powertools';
import { dynamoScanner } from '../adapters/dynamo-scanner.ts';
import { inventoryPorts } from '../adapters/wiring.ts';
import { checkInvariants, mismatchEvents } from '../core/check-invariants.ts';

const ports = inventoryPorts();
const scanner = dynamoScanner();

async function check(correlationId: string, sku?: string) {
  const report = await checkInvariants(
    { scanner, ledger: ports.ledger, clock: ports.clock },
    sku ? { sku } : {},
  );
  const events = mismatchEvents(report, correlationId);
  if (events.length) await ports.events.publish(events);
  return report;
}

const http = httpHandler(
  { body: z.object({ sku: skuCode.optional() }).optional() },
  async ({ body, correlationId }) => ok(await check(correlationId, body?.sku)),
);

/**
 * The invariant checker: on its schedule, and on demand through POST /api/inventory/checks.
 * Mismatches are published as InventoryMismatchDetected with their evidence.
 */
export const handler = async (event: unknown, context: Context) => {
  if (event && typeof event === 'object' && 'routeKey' in event) {
    return http(event as APIGatewayProxyEventV2, context);
  }
  const report = await check(
    `check:${(event as { scheduledAt?: string })?.scheduledAt ?? new Date().toISOString()}`,
  );
  if (report.mismatches.length)
    logger.error('Inventory invariants broken', { mismatches: report.mismatches.length });
  return { positions: report.positions, mismatches: report.mismatches.length, lagging: report.lagging };
};
