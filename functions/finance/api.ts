/**
 * Finance's front door: the types other contexts, the deployer and the console may use. Nothing
 * else under `functions/finance/` is imported from outside it. Finance reads other contexts only
 * through their events; the business reads finance through its API and S3 exports.
 */
export type { Account, AccountRole } from './core/accounts.ts';
export type { ClosedPeriod } from './core/ports.ts';
