import { skuCode } from '#catalog/api';
import type { FieldIssue } from '#shared/errors';
import { IntakeFailure } from '../../errors.ts';
import type { CanonicalLine } from '../../schemas/canonical-order.ts';
import type { DraftLine } from './normalize/index.ts';

/** Reads SKUs from the catalog (its published repository); only existence and kit-ness matter here. */
export interface SkuCatalog {
  find(skus: readonly string[]): Promise<Map<string, { isKit: boolean }>>;
}

/** The channel's listings: channel external id (variant id, SellerSKU, product id) → SKU. */
export interface ListingLookup {
  find(channelId: string, externalIds: readonly string[]): Promise<Map<string, string>>;
}

const isSkuCode = (s: string) => skuCode.safeParse(s).success;
const MAX_KEY = 128;

/**
 * Resolves each line to a catalog SKU: the line's own `sku` when the catalog knows it, else
 * the first of its listing keys (then the channel's sku text itself, for channels whose SKUs
 * differ from ours) that the channel's listings map to a known SKU. Lines that stay unresolved
 * fail the whole order with UNKNOWN_SKU, naming each line, so it becomes one intake exception
 * that a listing (or a catalog entry) fixes before replay.
 * The catalog is asked first, for the lines' own SKUs (usually answered from cache); only lines
 * it does not know consult the listings, so a storefront that sends our SKUs costs no read at
 * all once they are cached. At most three reads: catalog, listings, catalog for listing targets.
 */
export async function resolveLines(
  ports: { catalog: SkuCatalog; listings: ListingLookup },
  channelId: string,
  lines: readonly DraftLine[],
): Promise<CanonicalLine[]> {
  const keysOf = (line: DraftLine) =>
    [...new Set([...line.listingKeys, ...(line.sku ? [line.sku] : [])])].filter((k) => k.length <= MAX_KEY);
  const direct = [
    ...new Set(lines.map((l) => l.sku).filter((s): s is string => Boolean(s) && isSkuCode(s as string))),
  ];
  const known = await ports.catalog.find(direct);
  const listingKeys = [...new Set(lines.filter((l) => !(l.sku && known.has(l.sku))).flatMap(keysOf))];
  const listings =
    listingKeys.length > 0 ? await ports.listings.find(channelId, listingKeys) : new Map<string, string>();
  const targets = [...new Set(listings.values())].filter((sku) => !known.has(sku));
  if (targets.length > 0) for (const [sku, info] of await ports.catalog.find(targets)) known.set(sku, info);

  const issues: FieldIssue[] = [];
  const resolved: CanonicalLine[] = [];
  lines.forEach((line, i) => {
    let sku: string | undefined;
    let listingId: string | undefined;
    if (line.sku && known.has(line.sku)) sku = line.sku;
    else {
      for (const key of keysOf(line)) {
        const target = listings.get(key);
        if (target && known.has(target)) {
          sku = target;
          listingId = key;
          break;
        }
      }
    }
    if (!sku) {
      const mapped = keysOf(line)
        .map((k) => listings.get(k))
        .find(Boolean);
      issues.push({
        field: `lines.${i}.sku`,
        message: mapped
          ? `listing maps to ${mapped}, which is not in the catalog`
          : `no catalog SKU ${JSON.stringify(line.sku ?? '')} and no listing for ${keysOf(line).join(', ') || '(no ids)'}`,
      });
      return;
    }
    resolved.push({
      lineId: line.lineId,
      sku,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discount: line.discount,
      isKit: known.get(sku)?.isKit ?? false,
      ...(listingId ? { listingId } : {}),
      ...(line.title ? { title: line.title } : {}),
    });
  });
  if (issues.length > 0) {
    throw new IntakeFailure('UNKNOWN_SKU', `${issues.length} line(s) have no known SKU`, issues);
  }
  return resolved;
}
