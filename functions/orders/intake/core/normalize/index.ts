import type { ChannelType } from '../../schemas/channel.ts';
import { normalizeAmazon } from './amazon.ts';
import type { Normalized, NormalizeInput } from './draft.ts';
import { normalizeShopify } from './shopify.ts';
import { normalizeStorefront } from './storefront.ts';
import { normalizeWooCommerce } from './woocommerce.ts';

export type { DraftLine, DraftOrder, Normalized, NormalizeInput } from './draft.ts';

/** One normalizer per channel type; each is a pure function of the verified raw body. */
export const NORMALIZERS: Record<ChannelType, (input: NormalizeInput) => Normalized> = {
  shopify: normalizeShopify,
  woocommerce: normalizeWooCommerce,
  amazon: normalizeAmazon,
  generic: normalizeStorefront,
};
