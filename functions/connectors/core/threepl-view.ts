import type { ThreePLOrder } from './threepl-ports.ts';

/** A 3PL order part as clients see it: without the leases and claims. */
export function threePLOrderView(o: ThreePLOrder) {
  const {
    leaseOwner: _o,
    leaseUntil: _u,
    shipClaimUntil: _c,
    entity: _e,
    ...visible
  } = o as ThreePLOrder & {
    leaseOwner?: string;
    leaseUntil?: number;
    shipClaimUntil?: number;
    entity?: string;
  };
  return visible;
}
