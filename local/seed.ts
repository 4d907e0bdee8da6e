import { createHmac } from 'node:crypto';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { localConfig } from './config.ts';
import { loadIdentity } from './identity.ts';

/**
 * `npm run seed`: loads a small demo shop into the running local stack (`npm start`), over
 * HTTP only — the same routes a person or a channel would use — so a new user opens a console
 * with stock, a channel and orders in every state. Running it again changes nothing: ids are
 * stable, stock commands carry fixed idempotency keys (and are skipped when the ledger already
 * has them), and orders are re-sent with the same webhook delivery ids, which intake dedupes.
 */

// ---------------------------------------------------------------------------------------------
// The demo shop: "Ridgeline Outfitters", apparel and outdoor gear sold through its own webshop.

export const DEMO: DemoShop = {
  locations: [
    {
      id: 'WH-EAST',
      name: 'East Coast DC (Edison, NJ)',
      type: 'warehouse',
      timezone: 'America/New_York',
      address: {
        line1: '300 Raritan Center Pkwy',
        city: 'Edison',
        region: 'NJ',
        postalCode: '08837',
        country: 'US',
      },
    },
    {
      id: 'WH-WEST',
      name: 'West Coast DC (Ontario, CA)',
      type: 'warehouse',
      timezone: 'America/Los_Angeles',
      address: {
        line1: '4200 E Airport Dr',
        city: 'Ontario',
        region: 'CA',
        postalCode: '91761',
        country: 'US',
      },
    },
    // Store stock shows in inventory but is not offered online: the channel serves only the DCs.
    {
      id: 'STORE-PDX',
      name: 'Portland Flagship Store',
      type: 'store',
      timezone: 'America/Los_Angeles',
      address: {
        line1: '820 NW 23rd Ave',
        city: 'Portland',
        region: 'OR',
        postalCode: '97210',
        country: 'US',
      },
    },
  ],

  // Barcodes are EAN-13 in GS1's restricted-circulation range (prefix 200–299, in-house labels),
  // so they can never collide with a real product's GTIN. Check digits are verified at start.
  skus: [
    {
      sku: 'TEE-MERINO-BLK-M',
      name: 'Merino Trail Tee, Black, M',
      barcodes: ['2001000000012'],
      listing: 'sf-40011',
    },
    {
      sku: 'TEE-MERINO-BLK-L',
      name: 'Merino Trail Tee, Black, L',
      barcodes: ['2001000000029'],
      listing: 'sf-40012',
    },
    {
      sku: 'JKT-RAIN-NVY-M',
      name: 'Packable Rain Jacket, Navy, M',
      barcodes: ['2001000000036'],
      listing: 'sf-40021',
    },
    {
      sku: 'JKT-RAIN-NVY-L',
      name: 'Packable Rain Jacket, Navy, L',
      barcodes: ['2001000000043'],
      listing: 'sf-40022',
    },
    // A limited run: too few units online, so one order for it is backordered.
    {
      sku: 'JKT-DOWN-OLV-M',
      name: 'Featherlight Down Jacket, Olive, M',
      barcodes: ['2001000000050'],
      listing: 'sf-40031',
    },
    {
      sku: 'SOCK-HIKE-GRY-M',
      name: 'Merino Hiking Sock, Grey, M',
      barcodes: ['2001000000067'],
      listing: 'sf-40041',
    },
    {
      sku: 'BEANIE-WOOL-RST',
      name: 'Ribbed Wool Beanie, Rust',
      barcodes: ['2001000000074'],
      listing: 'sf-40051',
    },
    {
      sku: 'PACK-DAY-22L-BLK',
      name: 'Daypack 22 L, Black',
      barcodes: ['2001000000081'],
      listing: 'sf-40061',
    },
    { sku: 'LAMP-HEAD-300', name: 'Headlamp 300 lm', barcodes: ['2001000000098'], listing: 'sf-40071' },
    // Same bottle in two colours: each may stand in for the other when an order allows substitutes.
    {
      sku: 'BOTTLE-750-SLATE',
      name: 'Insulated Bottle 750 ml, Slate',
      barcodes: ['2001000000104'],
      substitutes: ['BOTTLE-750-SAGE'],
      listing: 'sf-40081',
    },
    {
      sku: 'BOTTLE-750-SAGE',
      name: 'Insulated Bottle 750 ml, Sage',
      barcodes: ['2001000000111'],
      substitutes: ['BOTTLE-750-SLATE'],
      listing: 'sf-40082',
    },
    // Sold and scanned as one box, stocked as its parts: availability is what the parts can build.
    {
      sku: 'KIT-TRAIL-STARTER',
      name: 'Trail Starter Kit (daypack, bottle, headlamp)',
      barcodes: ['2001000000128'],
      kit: {
        components: [
          { sku: 'PACK-DAY-22L-BLK', quantity: 1 },
          { sku: 'BOTTLE-750-SLATE', quantity: 1 },
          { sku: 'LAMP-HEAD-300', quantity: 1 },
        ],
      },
      listing: 'sf-49001',
    },
  ],

  /** Purchase orders and a store transfer, received into `available`. */
  receipts: [
    {
      ref: 'PO-1041',
      locationId: 'WH-EAST',
      units: {
        'TEE-MERINO-BLK-M': 40,
        'TEE-MERINO-BLK-L': 30,
        'JKT-RAIN-NVY-M': 12,
        'JKT-RAIN-NVY-L': 8,
        'JKT-DOWN-OLV-M': 2,
        'SOCK-HIKE-GRY-M': 60,
        'BEANIE-WOOL-RST': 25,
        'PACK-DAY-22L-BLK': 10,
        'LAMP-HEAD-300': 15,
        'BOTTLE-750-SLATE': 20,
        'BOTTLE-750-SAGE': 6,
      },
    },
    {
      ref: 'PO-1042',
      locationId: 'WH-WEST',
      units: {
        'TEE-MERINO-BLK-M': 25,
        'TEE-MERINO-BLK-L': 20,
        'JKT-RAIN-NVY-M': 6,
        'SOCK-HIKE-GRY-M': 40,
        'PACK-DAY-22L-BLK': 6,
        'LAMP-HEAD-300': 8,
        'BOTTLE-750-SLATE': 12,
        'BOTTLE-750-SAGE': 10,
      },
    },
    {
      ref: 'TR-0007',
      locationId: 'STORE-PDX',
      units: { 'TEE-MERINO-BLK-M': 6, 'SOCK-HIKE-GRY-M': 12, 'BEANIE-WOOL-RST': 10, 'JKT-DOWN-OLV-M': 4 },
    },
  ],
  // A cycle count and a damaged unit, so the ledger shows more than receipts.
  adjustments: [
    {
      ref: 'CC-0311',
      sku: 'SOCK-HIKE-GRY-M',
      locationId: 'WH-EAST',
      delta: -2,
      reason: 'cycle count CC-0311: bin A-12 two pairs short',
    },
  ],
  moves: [
    {
      ref: 'QC-0098',
      sku: 'JKT-RAIN-NVY-M',
      locationId: 'WH-WEST',
      from: 'available',
      to: 'damaged',
      quantity: 1,
      reason: 'QC-0098: torn seam found at put-away',
    },
  ],

  channel: {
    channelId: 'web-store',
    type: 'generic',
    // Demo only: a real storefront's signing key never lives in source control.
    secret: 'ridgeline-demo-storefront-signing-key',
    locationIds: ['WH-EAST', 'WH-WEST'],
    // Keep the last 2 units of each SKU off the webshop: they are often the shop-soiled ones.
    exposure: { buffer: 2 },
    priority: 10,
  },

  // East ships the east, West the west; seeded only on a stack that has no rules of its own.
  routingRules: {
    note: 'demo seed: each DC ships its own coast',
    rules: {
      nodes: {
        'WH-EAST': { priority: 60, cutoffHourUtc: 21 },
        'WH-WEST': { priority: 50, cutoffHourUtc: 23 },
      },
      zones: {
        'WH-EAST': { 'US-NJ': 1, 'US-NY': 1, 'US-MA': 2, 'US-IL': 4, 'US-CO': 6, US: 5, '*': 8 },
        'WH-WEST': { 'US-CA': 1, 'US-OR': 2, 'US-WA': 2, 'US-CO': 3, 'US-IL': 5, US: 5, '*': 8 },
      },
    },
  },

  orders: [
    {
      externalId: 'RO-1001',
      placedHoursAgo: 26,
      payment: 'paid',
      shipTo: {
        name: 'Maya Chen',
        line1: '145 Berry St',
        city: 'Brooklyn',
        region: 'NY',
        postalCode: '11249',
        phone: '+1 718 555 0142',
      },
      customerRef: 'cust-2041',
      lines: [
        { sku: 'TEE-MERINO-BLK-M', quantity: 2, unitPrice: '48.00' },
        { sku: 'SOCK-HIKE-GRY-M', quantity: 3, unitPrice: '18.00' },
      ],
      expect: 'released',
    },
    {
      externalId: 'RO-1002',
      placedHoursAgo: 20,
      payment: 'paid',
      shipTo: {
        name: 'Diego Ramos',
        line1: '1550 Valencia St',
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94110',
        phone: '+1 415 555 0199',
      },
      customerRef: 'cust-1187',
      // The kit is routed and reserved as its parts (daypack, bottle, headlamp).
      lines: [
        { sku: 'TEE-MERINO-BLK-L', quantity: 1, unitPrice: '48.00' },
        { sku: 'BOTTLE-750-SLATE', quantity: 1, unitPrice: '34.00' },
        { sku: 'KIT-TRAIL-STARTER', quantity: 1, unitPrice: '89.00' },
      ],
      expect: 'released',
    },
    {
      externalId: 'RO-1003',
      placedHoursAgo: 9,
      payment: 'paid',
      serviceLevel: 'expedited',
      shipTo: {
        name: 'Priya Natarajan',
        line1: '77 Beacon St',
        city: 'Boston',
        region: 'MA',
        postalCode: '02108',
        phone: '+1 617 555 0123',
      },
      customerRef: 'cust-3310',
      // The storefront sends its own product ids; the channel's listings map them to SKUs.
      lines: [
        { listing: 'sf-40022', quantity: 1, unitPrice: '129.00' },
        { listing: 'sf-40082', quantity: 1, unitPrice: '34.00' },
      ],
      expect: 'released',
    },
    {
      externalId: 'RO-1004',
      placedHoursAgo: 6,
      payment: 'paid',
      shipTo: {
        name: 'Tom Okafor',
        line1: '233 S Wacker Dr',
        city: 'Chicago',
        region: 'IL',
        postalCode: '60606',
        phone: '+1 312 555 0177',
      },
      customerRef: 'cust-0927',
      // 5 wanted, 2 online (the store's 4 are not sold online): backordered until stock arrives.
      lines: [{ sku: 'JKT-DOWN-OLV-M', quantity: 5, unitPrice: '219.00' }],
      expect: 'backordered',
    },
    {
      externalId: 'RO-1005',
      placedHoursAgo: 3,
      // Card authorized but not captured: the payment hold stops it before allocation.
      payment: 'authorized',
      shipTo: {
        name: 'Lena Fischer',
        line1: '1701 Wynkoop St',
        city: 'Denver',
        region: 'CO',
        postalCode: '80202',
        phone: '+1 303 555 0110',
      },
      customerRef: 'cust-4402',
      lines: [
        { sku: 'PACK-DAY-22L-BLK', quantity: 1, unitPrice: '89.00' },
        { sku: 'LAMP-HEAD-300', quantity: 1, unitPrice: '39.00' },
      ],
      afterwards: { hold: 'Customer called to change the size of the daypack; confirm before releasing' },
      expect: 'on_hold',
    },
    {
      externalId: 'RO-1006',
      placedHoursAgo: 2,
      payment: 'paid',
      shipTo: {
        name: 'Sam Whitaker',
        line1: '2101 4th Ave',
        city: 'Seattle',
        region: 'WA',
        postalCode: '98121',
        phone: '+1 206 555 0168',
      },
      customerRef: 'cust-5120',
      lines: [
        { sku: 'BEANIE-WOOL-RST', quantity: 2, unitPrice: '32.00' },
        { sku: 'SOCK-HIKE-GRY-M', quantity: 1, unitPrice: '18.00' },
      ],
      // Released first, then cancelled by customer service: its reservation goes back to stock.
      afterwards: { cancel: 'Customer ordered the wrong colour; cancelled by phone' },
      expect: 'cancelled',
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// Loading it.

/** Statuses an order rests in until someone acts (or stock arrives). */
const SETTLED = new Set([
  'released',
  'backordered',
  'on_hold',
  'cancelled',
  'failed',
  'picking',
  'packed',
  'shipped',
]);

/** Every stable key the seed writes starts with this, so its traces are easy to find. */
const KEY_PREFIX = 'demo-seed';
const receiptKey = (ref: string, sku: string) => `${KEY_PREFIX}:receipt:${ref}:${sku}`;
const adjustmentKey = (ref: string) => `${KEY_PREFIX}:adjust:${ref}`;
const moveKey = (ref: string) => `${KEY_PREFIX}:move:${ref}`;
const deliveryId = (externalId: string) => `${KEY_PREFIX}:order:${externalId}`;

export interface SeedOptions {
  /** The stack's origin, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** A bearer token of a role allowed on every route the seed calls (admin). */
  token: string;
  /** How long to wait for the orders to settle. @default 90_000 */
  timeoutMs?: number;
  /** Progress lines. @default silent */
  log?: (line: string) => void;
  /** The clock orders' placedAt are counted back from (first run only: later runs are duplicates). */
  now?: () => Date;
}

export interface SeededOrder {
  externalId: string;
  orderId: string;
  status: string;
  expected: DemoStatus;
  /** False when intake had this delivery already (a second run). */
  created: boolean;
}

export interface SeedResult {
  locations: number;
  skus: number;
  listings: number;
  routingRules: { seeded: boolean; activeVersion: number };
  stock: { applied: number; alreadyThere: number };
  orders: SeededOrder[];
}

/** A failure worth one clear line (the stack is down, a route refused the data). */
export class SeedError extends Error {}

/** Loads the demo shop into the stack at `baseUrl`; safe to run any number of times. */
export async function seedDemoData(options: SeedOptions): Promise<SeedResult> {
  const { baseUrl, token } = options;
  const log = options.log ?? (() => {});
  const now = options.now ?? (() => new Date());
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  assertValidBarcodes();
  await assertStackRunning(baseUrl);
  const call = client(baseUrl, token);

  // 1. Reference data: PUTs replace with the same content, so repeating them is harmless.
  for (const { id, ...location } of DEMO.locations) {
    await call('PUT', `/api/locations/${id}`, location);
  }
  // Kit components must exist before the kit.
  const skus = [...DEMO.skus].sort((a, b) => Number(Boolean(a.kit)) - Number(Boolean(b.kit)));
  for (const { sku, listing: _listing, ...body } of skus) await call('PUT', `/api/skus/${sku}`, body);
  const { channelId, ...channel } = DEMO.channel;
  await call('PUT', `/api/channels/${channelId}`, channel);
  for (const { sku, listing } of DEMO.skus) {
    await call('PUT', `/api/channels/${channelId}/listings/${listing}`, { sku });
  }
  const routingRules = await seedRoutingRules(call);
  log(`catalog: ${DEMO.locations.length} locations, ${DEMO.skus.length} SKUs, channel ${channelId}`);

  // 2. Stock. Each command has a fixed idempotency key; the position remembers keys for a day,
  // the ledger for ever, so a command already in the ledger is not sent again.
  const stock = await seedStock(call);
  log(`stock: ${stock.applied} movements applied, ${stock.alreadyThere} already there`);

  // 3. Orders through the signed storefront webhook, then what customer service does to them.
  const placed = await sendOrders(baseUrl, now());
  await waitUntilSettled(call, placed, deadline);
  for (const order of DEMO.orders) {
    const id = placed.find((p) => p.externalId === order.externalId)?.orderId;
    if (id && order.afterwards) await followUp(call, id, order.afterwards);
  }
  const orders = await waitUntilSettled(call, placed, deadline);
  log(`orders: ${orders.length} (${orders.filter((o) => o.created).length} new)`);

  return {
    locations: DEMO.locations.length,
    skus: DEMO.skus.length,
    listings: DEMO.skus.length,
    routingRules,
    stock,
    orders,
  };
}

type Call = (method: string, route: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

function client(baseUrl: string, token: string): Call {
  return async (method, route, body) => {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw notRunning(baseUrl, error);
    }
    const parsed = parseJson(await res.text());
    if (res.status === 401) {
      throw new SeedError(
        `${method} ${route}: the stack refused the token (401). Run the seed with the same PORT and QM_DATA_DIR as npm start.`,
      );
    }
    if (!res.ok) throw new SeedError(`${method} ${route} answered ${res.status}: ${errorText(parsed)}`);
    return { status: res.status, body: parsed };
  };
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

function errorText(body: unknown): string {
  const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)
    ?.error;
  if (!error) return typeof body === 'string' ? body.slice(0, 300) : JSON.stringify(body);
  return `${error.code}: ${error.message}${error.details ? ` ${JSON.stringify(error.details)}` : ''}`;
}

function notRunning(baseUrl: string, error: unknown): SeedError {
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
  return new SeedError(
    `No Quartermaster stack answers at ${baseUrl} (${cause}): start it first with npm start (same PORT as here).`,
  );
}

/** /health answers 200 once DynamoDB, the bus and the workflows answer; a starting stack gets a few seconds. */
export async function assertStackRunning(baseUrl: string, waitMs = 20_000): Promise<void> {
  const until = Date.now() + waitMs;
  for (;;) {
    let status: number;
    try {
      const res = await fetch(`${baseUrl}/health`);
      await res.body?.cancel();
      status = res.status;
    } catch (error) {
      throw notRunning(baseUrl, error);
    }
    if (status === 200) return;
    if (Date.now() > until) {
      throw new SeedError(
        `The stack at ${baseUrl} is not healthy (/health answered ${status}); see npm start's output.`,
      );
    }
    await sleep(500);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Only a stack still on the built-in defaults (version 0) gets the demo rules: later edits are kept. */
async function seedRoutingRules(call: Call): Promise<SeedResult['routingRules']> {
  const current = (await call('GET', '/api/routing-rules')).body as { active?: { version?: number } };
  const version = current.active?.version ?? 0;
  if (version !== 0) return { seeded: false, activeVersion: version };
  try {
    const stored = (await call('PUT', '/api/routing-rules', { ...DEMO.routingRules, expectedVersion: 0 }))
      .body as { version: number };
    return { seeded: true, activeVersion: stored.version };
  } catch (error) {
    // Someone saved rules a moment ago: theirs stay.
    if (error instanceof SeedError && error.message.includes('RULES_VERSION_CHANGED')) {
      return { seeded: false, activeVersion: -1 };
    }
    throw error;
  }
}

interface StockCommand {
  route: '/api/inventory/receipts' | '/api/inventory/adjustments' | '/api/inventory/moves';
  body: { sku: string; locationId: string; idempotencyKey: string; reason: string } & Record<string, unknown>;
}

function stockCommands(): StockCommand[] {
  return [
    ...DEMO.receipts.flatMap(({ ref, locationId, units }) =>
      Object.entries(units).map(([sku, quantity]) => ({
        route: '/api/inventory/receipts' as const,
        body: { sku, locationId, quantity, reason: `received ${ref}`, idempotencyKey: receiptKey(ref, sku) },
      })),
    ),
    ...DEMO.adjustments.map(({ ref, ...a }) => ({
      route: '/api/inventory/adjustments' as const,
      body: { ...a, idempotencyKey: adjustmentKey(ref) },
    })),
    ...DEMO.moves.map(({ ref, ...m }) => ({
      route: '/api/inventory/moves' as const,
      body: { ...m, idempotencyKey: moveKey(ref) },
    })),
  ];
}

async function seedStock(call: Call): Promise<SeedResult['stock']> {
  const commands = stockCommands();
  const skus = [...new Set(commands.map((c) => c.body.sku))];
  const recorded = new Set((await Promise.all(skus.map((sku) => ledgerKeys(call, sku)))).flat());
  let applied = 0;
  let alreadyThere = 0;
  for (const { route, body } of commands) {
    if (recorded.has(body.idempotencyKey)) {
      alreadyThere++;
      continue;
    }
    // 201: applied now; 200: the position had the key (a replay).
    const { status } = await call('POST', route, body);
    if (status === 201) applied++;
    else alreadyThere++;
  }
  return { applied, alreadyThere };
}

/** The seed's idempotency keys already in a SKU's ledger (every location, every page). */
async function ledgerKeys(call: Call, sku: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const query = `limit=500&order=asc${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = (await call('GET', `/api/inventory/${sku}/ledger?${query}`)).body as {
      items: { idempotencyKey: string }[];
      cursor?: string;
    };
    for (const m of page.items)
      if (m.idempotencyKey.startsWith(`${KEY_PREFIX}:`)) keys.push(m.idempotencyKey);
    cursor = page.cursor;
  } while (cursor);
  return keys;
}

/** The storefront's wire form (docs/canonical-order.md), signed like a real storefront signs it. */
function storefrontBody(order: DemoOrder, now: Date) {
  const titleOf = (line: DemoLine) =>
    DEMO.skus.find((s) => ('sku' in line ? s.sku === line.sku : s.listing === line.listing))?.name;
  const expedited = order.serviceLevel === 'expedited';
  return {
    externalId: order.externalId,
    orderNumber: `#${order.externalId.replace(/^\D+-/, '')}`,
    placedAt: new Date(now.getTime() - order.placedHoursAgo * 3_600_000).toISOString(),
    currency: 'USD',
    lines: order.lines.map((line, i) => {
      const title = titleOf(line);
      return {
        lineId: String(i + 1),
        ...('sku' in line ? { sku: line.sku } : { externalId: line.listing }),
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        ...(title ? { title } : {}),
      };
    }),
    shipTo: { ...order.shipTo, country: 'US' },
    payment: { status: order.payment },
    serviceLevel: order.serviceLevel ?? 'standard',
    shippingMethod: expedited ? 'UPS 2nd Day Air' : 'UPS Ground',
    shippingPrice: expedited ? '24.00' : '0.00',
    customerRef: order.customerRef,
  };
}

async function sendOrders(baseUrl: string, now: Date): Promise<Omit<SeededOrder, 'status'>[]> {
  const { channelId, secret } = DEMO.channel;
  const placed: Omit<SeededOrder, 'status'>[] = [];
  for (const order of DEMO.orders) {
    const raw = JSON.stringify(storefrontBody(order, now));
    let res: Response;
    try {
      res = await fetch(`${baseUrl}/webhooks/orders/${channelId}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-qm-signature': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`,
          // The same on every run: intake answers a repeat as a duplicate and changes nothing.
          'idempotency-key': deliveryId(order.externalId),
        },
        body: raw,
      });
    } catch (error) {
      throw notRunning(baseUrl, error);
    }
    const body = parseJson(await res.text()) as { orderId?: string; duplicate?: boolean };
    if (!res.ok || !body?.orderId) {
      throw new SeedError(
        `Order ${order.externalId} was refused by intake (${res.status}): ${errorText(body)}`,
      );
    }
    placed.push({
      externalId: order.externalId,
      orderId: body.orderId,
      expected: order.expect,
      created: res.status === 201,
    });
  }
  return placed;
}

interface OrderView {
  orderId: string;
  status: string;
  holds?: Record<string, { type: string; status: string }>;
}

/** Polls each order until its release workflow has put it somewhere it rests, within the deadline. */
async function waitUntilSettled(
  call: Call,
  placed: Omit<SeededOrder, 'status'>[],
  deadline: number,
): Promise<SeededOrder[]> {
  const status = new Map<string, string>();
  for (;;) {
    for (const p of placed) {
      if (SETTLED.has(status.get(p.orderId) ?? '')) continue;
      const order = (await call('GET', `/api/orders/${p.orderId}`)).body as OrderView;
      status.set(p.orderId, order.status);
    }
    const waiting = placed.filter((p) => !SETTLED.has(status.get(p.orderId) ?? ''));
    if (waiting.length === 0) return placed.map((p) => ({ ...p, status: status.get(p.orderId) ?? '' }));
    if (Date.now() > deadline) {
      const list = waiting.map((p) => `${p.externalId} (${status.get(p.orderId)})`).join(', ');
      throw new SeedError(
        `Orders did not settle in time: ${list}. The stack's background work may be stuck; see npm start's output.`,
      );
    }
    await sleep(250);
  }
}

/** A manual hold (once: an open or released manual hold means it was placed) or a cancellation. */
async function followUp(call: Call, orderId: string, action: NonNullable<DemoOrder['afterwards']>) {
  const order = (await call('GET', `/api/orders/${orderId}`)).body as OrderView;
  if ('hold' in action) {
    const held = Object.values(order.holds ?? {}).some((h) => h.type === 'manual');
    if (!held && (order.status === 'on_hold' || order.status === 'received')) {
      await call('POST', `/api/orders/${orderId}/holds`, { reason: action.hold });
    }
  } else if (order.status !== 'cancelled') {
    await call('POST', `/api/orders/${orderId}/cancel`, { reason: action.cancel });
  }
}

/** GS1 check digit: weights 1,3,1,3… over the first 12 digits. */
export function isValidEan13(code: string): boolean {
  if (!/^\d{13}$/.test(code)) return false;
  const sum = [...code.slice(0, 12)].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === Number(code[12]);
}

function assertValidBarcodes() {
  const bad = DEMO.skus.flatMap((s) => s.barcodes.filter((b) => !isValidEan13(b)));
  if (bad.length) throw new SeedError(`Invalid EAN-13 in the demo catalog: ${bad.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// The demo data's shape.

type DemoStatus = 'released' | 'backordered' | 'on_hold' | 'cancelled';
type DemoLine = ({ sku: string } | { listing: string }) & { quantity: number; unitPrice: string };

interface DemoOrder {
  externalId: string;
  /** placedAt is this long before the first run, so the console shows recent orders. */
  placedHoursAgo: number;
  payment: 'pending' | 'authorized' | 'paid';
  serviceLevel?: 'standard' | 'expedited' | 'overnight';
  shipTo: { name: string; line1: string; city: string; region: string; postalCode: string; phone: string };
  customerRef: string;
  /** `sku` is ours; `listing` is the storefront's product id, mapped through the channel's listings. */
  lines: DemoLine[];
  /** What customer service does once the order has settled. */
  afterwards?: { hold: string } | { cancel: string };
  /** Where the order should end up. */
  expect: DemoStatus;
}

interface DemoShop {
  locations: {
    id: string;
    name: string;
    type: 'warehouse' | 'store' | '3pl';
    timezone: string;
    address: { line1: string; city: string; region: string; postalCode: string; country: string };
  }[];
  skus: {
    sku: string;
    name: string;
    barcodes: string[];
    substitutes?: string[];
    kit?: { components: { sku: string; quantity: number }[] };
    /** The storefront's product id for it (a channel listing). */
    listing: string;
  }[];
  receipts: { ref: string; locationId: string; units: Record<string, number> }[];
  adjustments: { ref: string; sku: string; locationId: string; delta: number; reason: string }[];
  moves: {
    ref: string;
    sku: string;
    locationId: string;
    from: 'available' | 'damaged' | 'quarantined' | 'returnedPending' | 'safetyStock';
    to: 'available' | 'damaged' | 'quarantined' | 'returnedPending' | 'safetyStock';
    quantity: number;
    reason: string;
  }[];
  channel: {
    channelId: string;
    type: 'generic';
    secret: string;
    locationIds: string[];
    exposure?: { percent?: number; buffer?: number; cap?: number; floor?: number };
    priority?: number;
  };
  routingRules: { note: string; rules: Record<string, unknown> };
  orders: DemoOrder[];
}

// ---------------------------------------------------------------------------------------------
// `npm run seed`: against the stack `npm start` runs with the same PORT and QM_DATA_DIR.

/** A token as `npm run token` mints it; when this QM_DATA_DIR has no key, the stack's own local sign-in. */
async function adminToken(dataDir: string, port: number, baseUrl: string): Promise<string> {
  const claims = { role: 'admin', username: 'demo-seed' } as const;
  const keyFile = path.join(dataDir, 'keys', 'signing-key.json');
  const hasKey = await access(keyFile).then(
    () => true,
    () => false,
  );
  if (hasKey) {
    const token = await (await loadIdentity(dataDir, port)).sign(claims);
    const probe = await fetch(`${baseUrl}/api/skus?limit=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await probe.body?.cancel();
    if (probe.status !== 401) return token;
  }
  const res = await fetch(`${baseUrl}/local/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(claims),
  });
  const body = parseJson(await res.text()) as { idToken?: string };
  if (res.ok && body?.idToken) return body.idToken;
  throw new SeedError(
    `Could not sign in to the stack at ${baseUrl}: run the seed with the same PORT and QM_DATA_DIR as npm start.`,
  );
}

function summary(result: SeedResult, consoleUrl: string): string {
  const count = (status: string) => result.orders.filter((o) => o.status === status).length;
  const statuses = [...new Set(result.orders.map((o) => o.status))].map((s) => `${count(s)} ${s}`).join(', ');
  const kits = DEMO.skus.filter((s) => s.kit).map((s) => s.sku);
  const substitutes = DEMO.skus.filter((s) => s.substitutes?.length).map((s) => s.sku);
  const receipts = DEMO.receipts.reduce((n, r) => n + Object.keys(r.units).length, 0);
  const fresh = result.stock.applied > 0 || result.orders.some((o) => o.created);
  // Shown only when set: the token must come from the same stack.
  const env = ['PORT', 'QM_DATA_DIR']
    .filter((name) => process.env[name])
    .map((name) => `${name}=${process.env[name]} `)
    .join('');
  return [
    `Demo shop ${fresh ? 'loaded' : 'was already loaded (nothing new)'}:`,
    `  locations  ${result.locations}   ${DEMO.locations.map((l) => l.id).join(', ')}`,
    `  SKUs       ${result.skus}  EAN-13 barcodes; kit ${kits.join(', ')}; substitutes ${substitutes.join(' ⇄ ')}`,
    `  stock      ${receipts} receipts, ${DEMO.adjustments.length} adjustment, ${DEMO.moves.length} move to damaged (${result.stock.applied} applied now)`,
    `  channel    ${DEMO.channel.channelId} (${DEMO.channel.type}) → ${DEMO.channel.locationIds.join(', ')}, ${result.listings} listings; routing rules ${
      result.routingRules.seeded ? `seeded (v${result.routingRules.activeVersion})` : 'left as they were'
    }`,
    `  orders     ${result.orders.length}   ${statuses} (${result.orders.filter((o) => o.created).length} new)`,
    ...result.orders
      .filter((o) => o.status !== o.expected)
      .map((o) => `  note: ${o.externalId} is ${o.status}; the demo expects ${o.expected}`),
    '',
    `Open the console at ${consoleUrl}/ and sign in as admin (or customer-service, warehouse-associate, …):`,
    `  orders     ${consoleUrl}/orders?channelId=${DEMO.channel.channelId}`,
    `  a kit      ${consoleUrl}/inventory/${kits[0] ?? ''}`,
    `API token:   ${env}npm run --silent token -- admin`,
  ].join('\n');
}

async function main() {
  const config = localConfig();
  const baseUrl = `http://127.0.0.1:${config.port}`;
  await assertStackRunning(baseUrl);
  const token = await adminToken(config.dataDir, config.port, baseUrl);
  console.log(`Seeding the demo shop into ${baseUrl} …`);
  const result = await seedDemoData({ baseUrl, token, log: (line) => console.log(`  ${line}`) });
  console.log(`\n${summary(result, `http://localhost:${config.port}`)}`);
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main().catch((error: unknown) => {
    console.error(error instanceof SeedError ? `seed: ${error.message}` : error);
    process.exit(1);
  });
}
