import { describe, expect, it } from 'vitest';
import { parseAsnCsv } from '../../functions/inbound/core/asn-csv.ts';
import { fitAsn, toAsn } from '../../functions/inbound/core/asns.ts';
import { incomingByLocation } from '../../functions/inbound/core/incoming.ts';
import { formatMinor, parseUnitCost } from '../../functions/inbound/core/money.ts';
import type { PoLine } from '../../functions/inbound/schemas/inbound.ts';

describe('unit costs', () => {
  it('turns decimal text into exact minor units of the currency', () => {
    expect(parseUnitCost('12.50', 'USD')).toEqual({ ok: true, minor: 1250 });
    expect(parseUnitCost('12.5', 'USD')).toEqual({ ok: true, minor: 1250 });
    expect(parseUnitCost('0.10000', 'EUR')).toEqual({ ok: true, minor: 10 });
    expect(parseUnitCost('1500', 'JPY')).toEqual({ ok: true, minor: 1500 });
    expect(parseUnitCost('1.234', 'KWD')).toEqual({ ok: true, minor: 1234 });
    // 0.1 + 0.2 in floats is not 0.3; by string it is exact.
    expect(parseUnitCost('0.30', 'USD')).toEqual({ ok: true, minor: 30 });
  });

  it('refuses digits the currency does not have, and anything but plain decimals', () => {
    expect(parseUnitCost('12.505', 'USD')).toEqual({ ok: false, reason: 'USD has 2 decimal place(s)' });
    expect(parseUnitCost('1.5', 'JPY')).toMatchObject({ ok: false });
    for (const text of ['-1', '1e3', '1,000.00', '', '.5', ' 1']) {
      expect(parseUnitCost(text, 'USD'), text).toMatchObject({ ok: false });
    }
    expect(parseUnitCost('99999999999999999', 'USD')).toEqual({ ok: false, reason: 'too large' });
  });

  it('formats minor units back for display', () => {
    expect(formatMinor(1250, 'USD')).toBe('12.50');
    expect(formatMinor(5, 'USD')).toBe('0.05');
    expect(formatMinor(1500, 'JPY')).toBe('1500');
    expect(formatMinor(1234, 'KWD')).toBe('1.234');
  });
});

describe('ASN CSV rows', () => {
  const header = 'asnId,poId,cartonId,sku,quantity';

  it('groups rows into ASNs by asnId, cartons and loose lines, remembering each SKU’s rows', () => {
    const out = parseAsnCsv(
      `\uFEFF${header}\nA1,PO-1,C1,BOLT,2\nA1,PO-1,,BOLT,1\n\nA2,PO-2,C1,NUT,4\nA1,PO-1,C2,NUT,3\n`,
    );
    expect(out.issues).toEqual([]);
    expect(out.asns.map((a) => a.body)).toEqual([
      {
        asnId: 'A1',
        poId: 'PO-1',
        cartons: [
          { cartonId: 'C1', lines: [{ sku: 'BOLT', quantity: 2 }] },
          { cartonId: 'C2', lines: [{ sku: 'NUT', quantity: 3 }] },
        ],
        lines: [{ sku: 'BOLT', quantity: 1 }],
      },
      { asnId: 'A2', poId: 'PO-2', cartons: [{ cartonId: 'C1', lines: [{ sku: 'NUT', quantity: 4 }] }] },
    ]);
    expect(out.asns[0]?.rows).toEqual([2, 3, 6]);
    expect(out.asns[0]?.rowsOfSku.get('BOLT')).toEqual([2, 3]);
  });

  it('names every bad row and field, and answers no ASN when any row is bad', () => {
    const out = parseAsnCsv(
      [
        header,
        'A1,PO-1,C1,BOLT,2',
        'A1,PO-1,C1,BOLT,1', // 3: repeated in the carton
        'A1,PO-9,C1,NUT,1', // 4: another PO for the same ASN
        'A1,PO-1,C1,NUT,1.5', // 5: not whole
        'A1,PO-1,C1 X,NUT,1', // 6: carton id
        'A1,PO-1,C1,NUT', // 7: a cell short
        ',,,,', // 8: four required cells
      ].join('\n'),
    );
    expect(out.asns).toEqual([]);
    expect(out.issues.map((i) => [i.row, i.field])).toEqual([
      [3, 'sku'],
      [4, 'poId'],
      [5, 'quantity'],
      [6, 'cartonId'],
      [7, '(row)'],
      [8, 'asnId'],
      [8, 'poId'],
      [8, 'sku'],
      [8, 'quantity'],
    ]);
  });

  it('refuses a wrong header, an empty file and broken quoting', () => {
    expect(parseAsnCsv('asnId,poId,sku,quantity,extra\n').issues).toEqual([
      { row: 1, field: '(header)', message: expect.stringContaining('missing cartonId; unknown extra') },
    ]);
    expect(parseAsnCsv(`${header}\n`).issues).toEqual([
      { row: 1, field: '(file)', message: 'no rows after the header' },
    ]);
    expect(parseAsnCsv(`${header}\nA1,PO-1,"C1,BOLT,1\n`).issues).toEqual([
      { row: 2, field: '(row)', message: expect.stringContaining('Quote Not Closed') },
    ]);
  });
});

const line = (sku: string, quantity: number, advised = 0, received = 0): PoLine => ({
  poId: 'PO-1',
  lineNo: 1,
  sku,
  quantity,
  unitCostMinor: 100,
  received,
  advised,
  locationId: 'WH1',
  expectedAt: '2026-12-20',
});

describe('the ASN rule', () => {
  const asn = toAsn(
    {
      asnId: 'A1',
      poId: 'PO-1',
      cartons: [{ cartonId: 'C1', lines: [{ sku: 'BOLT', quantity: 6 }] }],
      lines: [{ sku: 'BOLT', quantity: 4 }],
    },
    '2026-12-05T00:00:00Z',
    'me',
  );

  it('sums a SKU over cartons and loose lines and lets ASNs announce up to the ordered quantity', () => {
    expect(asn.totals).toEqual([{ sku: 'BOLT', quantity: 10 }]);
    expect(fitAsn(asn, [line('BOLT', 12, 2)])).toEqual([]);
    expect(fitAsn(asn, [line('BOLT', 12, 3)])).toEqual([
      expect.objectContaining({ code: 'EXCEEDS_PO', remaining: 9 }),
    ]);
    // Units earlier ASNs of the same request claim count too.
    expect(fitAsn(asn, [line('BOLT', 12)], new Map([['BOLT', 3]]))).toEqual([
      expect.objectContaining({ code: 'EXCEEDS_PO', remaining: 9 }),
    ]);
    expect(fitAsn(asn, [line('NUT', 12)])).toEqual([
      expect.objectContaining({ code: 'NOT_ON_PO', sku: 'BOLT' }),
    ]);
  });

  it('gives the same fingerprint to the same ASN listed in another order', () => {
    const reordered = toAsn(
      {
        asnId: 'A1',
        poId: 'PO-1',
        lines: [{ sku: 'BOLT', quantity: 4 }],
        cartons: [{ cartonId: 'C1', lines: [{ sku: 'BOLT', quantity: 6 }] }],
      },
      '2027-01-01T00:00:00Z',
      'someone else',
    );
    expect(reordered.fingerprint).toBe(asn.fingerprint);
    expect(
      toAsn({ asnId: 'A1', poId: 'PO-1', lines: [{ sku: 'BOLT', quantity: 10 }] }, '', '').fingerprint,
    ).not.toBe(asn.fingerprint);
  });
});

describe('incoming stock', () => {
  it('adds up ordered − received per location, earliest expected first, leaving full lines out', () => {
    const lines = [
      { ...line('BOLT', 10, 0, 4), poId: 'PO-B', expectedAt: '2026-12-22' },
      { ...line('BOLT', 5), poId: 'PO-A', expectedAt: '2026-12-21' },
      { ...line('BOLT', 5, 0, 5), poId: 'PO-C' },
      { ...line('BOLT', 7), poId: 'PO-D', locationId: 'AAA' },
    ];
    expect(incomingByLocation(lines)).toEqual([
      {
        locationId: 'AAA',
        quantity: 7,
        purchaseOrders: [{ poId: 'PO-D', expectedAt: '2026-12-20', quantity: 7 }],
      },
      {
        locationId: 'WH1',
        quantity: 11,
        purchaseOrders: [
          { poId: 'PO-A', expectedAt: '2026-12-21', quantity: 5 },
          { poId: 'PO-B', expectedAt: '2026-12-22', quantity: 6 },
        ],
      },
    ]);
  });
});
