import type { Channel } from '../schemas/channel.ts';

/**
 * The channel an SP-API notification belongs to: an Amazon channel configured for its seller
 * (and marketplace, when the channel lists marketplaces); failing that, the only Amazon
 * channel without a seller, so a single-account setup needs no extra configuration.
 */
export function findAmazonChannel(
  channels: readonly Channel[],
  hint: { sellerId?: string; marketplaceId?: string },
): Channel | undefined {
  const amazon = channels.filter((c) => c.type === 'amazon');
  const servesMarketplace = (c: Channel) =>
    !c.marketplaceIds?.length ||
    (hint.marketplaceId !== undefined && c.marketplaceIds.includes(hint.marketplaceId));
  const bySeller = amazon.filter((c) => c.sellerId && c.sellerId === hint.sellerId && servesMarketplace(c));
  const specific = bySeller.find((c) => c.marketplaceIds?.length);
  if (specific) return specific;
  if (bySeller.length > 0) return bySeller[0];
  const generic = amazon.filter((c) => !c.sellerId && servesMarketplace(c));
  return generic.length === 1 ? generic[0] : undefined;
}

export const unresolvedAmazonKey = (sellerId: string | undefined) => `amazon:${sellerId ?? 'unknown'}`;
