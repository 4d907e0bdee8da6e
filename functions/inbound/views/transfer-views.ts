import type { Transfer } from '../schemas/transfers.ts';

/** A transfer as the API answers it: without its fingerprints and version (bookkeeping). */
export function transferView(t: Transfer) {
  const { fingerprint: _f, receiveFingerprint: _r, version: _v, ...view } = t;
  return view;
}
export type TransferView = ReturnType<typeof transferView>;
