import { describe, expect, it } from 'vitest';
import { compileRoutes, matchRoute } from '../../local/gateway.ts';
import { cronMatches, rateMs } from '../../local/scheduler.ts';

describe('local gateway routing', () => {
  const routes = compileRoutes([
    { method: 'GET', path: '/api/inventory/{sku}', fn: 'a', auth: { roles: ['admin'] } },
    { method: 'GET', path: '/api/inventory/{sku}/ledger', fn: 'b', auth: { roles: ['admin'] } },
    { method: 'POST', path: '/api/inventory/adjustments', fn: 'c', auth: { roles: ['admin'] } },
    { method: 'GET', path: '/files/{proxy+}', fn: 'd', auth: { roles: ['admin'] } },
  ]);

  it('prefers the literal route over a parameter, as API Gateway does', () => {
    expect(matchRoute(routes, 'POST', '/api/inventory/adjustments').route?.fn).toBe('c');
  });

  it('extracts and decodes path parameters', () => {
    const m = matchRoute(routes, 'GET', '/api/inventory/T%20SHIRT');
    expect(m.route?.fn).toBe('a');
    expect(m.pathParameters).toEqual({ sku: 'T SHIRT' });
  });

  it('matches nested paths and greedy parameters', () => {
    expect(matchRoute(routes, 'GET', '/api/inventory/X/ledger').route?.fn).toBe('b');
    expect(matchRoute(routes, 'GET', '/files/a/b/c').pathParameters).toEqual({ proxy: 'a/b/c' });
  });

  it('finds nothing for an undeclared method', () => {
    expect(matchRoute(routes, 'DELETE', '/api/inventory/X').route).toBeUndefined();
  });
});

describe('local schedules', () => {
  it('reads rate expressions', () => {
    expect(rateMs('rate(5 minutes)')).toBe(300_000);
    expect(rateMs('rate(1 hour)')).toBe(3_600_000);
    expect(rateMs('cron(0 2 * * ? *)')).toBeUndefined();
  });

  it('evaluates cron expressions in UTC', () => {
    expect(cronMatches('cron(0 2 * * ? *)', new Date('2026-11-22T02:00:00Z'))).toBe(true);
    expect(cronMatches('cron(0 2 * * ? *)', new Date('2026-11-22T03:00:00Z'))).toBe(false);
    expect(cronMatches('cron(*/15 * * * ? *)', new Date('2026-11-22T03:45:00Z'))).toBe(true);
  });
});
