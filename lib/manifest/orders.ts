import type { ContextManifest } from './types.ts';

/** Orders: channel intake, canonical orders, holds, allocation, backorders. */
export const orders: ContextManifest = {
  functions: {},
};
