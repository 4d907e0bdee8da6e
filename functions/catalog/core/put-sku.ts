import { createEvent, type EventPublisher } from '#shared/events';
import { InvalidKit } from '../errors.ts';
import { SkuUpserted } from '../events/sku-upserted.ts';
import type { PutSkuBody, Sku } from '../schemas/sku.ts';

export interface SkuRepository {
  get(sku: string): Promise<Sku | undefined>;
  getMany(skus: readonly string[]): Promise<Map<string, Sku>>;
  /** Kits that list this SKU as a component. */
  kitsContaining(sku: string): Promise<string[]>;
  /** Saves the SKU and claims its barcodes atomically; throws BarcodeInUse if one is taken. */
  save(next: Sku, previous: Sku | undefined): Promise<void>;
}

export interface PutSkuPorts {
  skus: SkuRepository;
  events: EventPublisher;
  clock: () => Date;
}

/**
 * Creates or replaces a SKU.
 * 1. validate kit components (exist, are not kits, not the kit itself)
 * 2. save with barcode claims
 * 3. publish SkuUpserted
 */
export async function putSku(
  ports: PutSkuPorts,
  sku: string,
  body: PutSkuBody,
  correlationId: string,
): Promise<{ sku: Sku; created: boolean }> {
  const components = body.kit?.components ?? [];
  if (components.length > 0) {
    const ids = components.map((c) => c.sku);
    if (ids.includes(sku)) throw new InvalidKit('A kit cannot contain itself');
    if (new Set(ids).size !== ids.length) throw new InvalidKit('Each component SKU may appear once');
    const found = await ports.skus.getMany(ids);
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw new InvalidKit(`Unknown component SKU(s): ${missing.join(', ')}`);
    const nested = ids.filter((id) => found.get(id)?.kit);
    if (nested.length) throw new InvalidKit(`Components cannot be kits themselves: ${nested.join(', ')}`);
  }
  const previous = await ports.skus.get(sku);
  const now = ports.clock().toISOString();
  const next: Sku = {
    sku,
    name: body.name,
    barcodes: [...new Set(body.barcodes ?? [])],
    ...(body.kit ? { kit: body.kit } : {}),
    ...(body.substitutes ? { substitutes: body.substitutes } : {}),
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
  await ports.skus.save(next, previous);
  await ports.events.publish([
    createEvent(
      SkuUpserted,
      { sku, name: next.name, isKit: Boolean(next.kit), components: next.kit?.components },
      { correlationId, now: ports.clock },
    ),
  ]);
  return { sku: next, created: !previous };
}
