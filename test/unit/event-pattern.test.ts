/**
 * The event-pattern matcher on the shapes Quartermaster's rules use; the AWS conformance
 * corpus lives in event-pattern.conformance.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  compilePattern,
  InvalidEventPatternError,
  matchesPattern,
  testEventPattern,
} from '../../local/event-pattern';

/** A bus event as PutEvents produces it (detail already parsed from the Detail string). */
function stockAdjusted(detail: Record<string, unknown>, source = 'qm.inventory') {
  return {
    version: '0',
    id: '5b2f7a1e-1c4d-4b8e-9d0a-0f6f1f2a3b4c',
    'detail-type': 'StockAdjusted',
    source,
    account: '000000000000',
    time: '2025-01-01T00:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail,
  };
}

describe('event patterns for Quartermaster rules', () => {
  const sourceAndType = { source: ['qm.inventory'], 'detail-type': ['StockAdjusted'] };

  it('matches a source and detail-type rule against a PutEvents-shaped event', () => {
    const event = stockAdjusted({ sku: 'SKU-1', delta: -2, data: { channelId: 'shopify-eu' } });
    expect(testEventPattern(sourceAndType, event)).toBe(true);
  });

  it('does not match another source or detail-type', () => {
    expect(testEventPattern(sourceAndType, stockAdjusted({ sku: 'SKU-1' }, 'qm.orders'))).toBe(false);
    expect(testEventPattern(sourceAndType, { ...stockAdjusted({}), 'detail-type': 'StockReserved' })).toBe(
      false,
    );
  });

  it('matches a prefix on detail.data.channelId', () => {
    const pattern = { ...sourceAndType, detail: { data: { channelId: [{ prefix: 'shopify-' }] } } };
    const compiled = compilePattern(pattern);
    expect(matchesPattern(compiled, stockAdjusted({ data: { channelId: 'shopify-eu' } }))).toBe(true);
    expect(matchesPattern(compiled, stockAdjusted({ data: { channelId: 'amazon-de' } }))).toBe(false);
    expect(matchesPattern(compiled, stockAdjusted({ data: {} }))).toBe(false);
    expect(matchesPattern(compiled, stockAdjusted({ data: { channelId: 42 } }))).toBe(false);
  });

  it('accepts the pattern and the event as JSON text, as PutRule and PutEvents carry them', () => {
    const compiled = compilePattern(JSON.stringify({ 'detail.data.channelId': [{ prefix: 'shop' }] }));
    expect(matchesPattern(compiled, JSON.stringify(stockAdjusted({ data: { channelId: 'shop-1' } })))).toBe(
      true,
    );
  });

  it('rejects an invalid rule when it is compiled, not when events arrive', () => {
    expect(() => compilePattern({ source: 'qm.inventory' })).toThrow(InvalidEventPatternError);
    expect(() => compilePattern({ detail: { qty: [{ numeric: ['>', 0, '>', 1] }] } })).toThrow(
      /Event pattern is not valid/,
    );
  });

  it('keeps matches from objects inside one event array to a single element', () => {
    const event = stockAdjusted({
      lines: [
        { sku: 'SKU-1', qty: 1 },
        { sku: 'SKU-2', qty: 5 },
      ],
    });
    expect(
      testEventPattern({ detail: { lines: { sku: ['SKU-2'], qty: [{ numeric: ['>', 3] }] } } }, event),
    ).toBe(true);
    expect(
      testEventPattern({ detail: { lines: { sku: ['SKU-1'], qty: [{ numeric: ['>', 3] }] } } }, event),
    ).toBe(false);
  });
});
