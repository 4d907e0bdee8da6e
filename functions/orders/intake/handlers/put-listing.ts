import { z } from 'zod';
import { created, httpHandler, ok } from '#shared/http';
import { ChannelNotFound } from '../../errors.ts';
import { intakePorts } from '../adapters/wiring.ts';
import { channelId, listingExternalId, putListingBody } from '../schemas/channel.ts';

const { channels, catalog } = intakePorts();

/**
 * PUT /api/channels/{channelId}/listings/{externalId}: maps a channel's id (Shopify variant id,
 * Amazon SellerSKU, WooCommerce product/variation id) to our SKU. The SKU need not exist yet
 * (channels and catalog can be set up in either order); `skuKnown` says whether it does, and
 * intake only maps through a listing whose SKU is in the catalog.
 */
export const handler = httpHandler(
  { params: z.object({ channelId, externalId: listingExternalId }), body: putListingBody },
  async ({ params, body }) => {
    const channel = await channels.get(params.channelId);
    if (!channel) throw new ChannelNotFound(params.channelId);
    const [previous, known] = await Promise.all([
      channels.getListing(params.channelId, params.externalId),
      catalog.find([body.sku]),
    ]);
    const now = new Date().toISOString();
    const listing = {
      channelId: params.channelId,
      externalId: params.externalId,
      sku: body.sku,
      ...(body.inventoryItemId ? { inventoryItemId: body.inventoryItemId } : {}),
      ...(body.parentId ? { parentId: body.parentId } : {}),
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
    };
    await channels.putListing(listing);
    const view = { ...listing, skuKnown: known.has(body.sku) };
    return previous ? ok(view) : created(view);
  },
);
