import { get } from 'node:http';
import zlib from 'node:zlib';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from '../../local/console-build.ts';
import { REPO_ROOT } from '../../local/runtime.ts';
import { launchBrowser, openConsole, VIEWPORTS } from '../support/browser.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Handheld speed on a weak warehouse Wi-Fi link (issue 20): the sign-in page and the scanner
 * screens load at most 150 kB of gzip-compressed JavaScript (what a client without brotli
 * receives; brotli is smaller) and paint within 3 s on 1.6 Mbps down, 750 kbps up and 150 ms
 * latency, with an empty cache (a handheld's first visit of the day). The scanner screens also
 * report when their scan field is usable: focused and taking input.
 */
const WAREHOUSE_WIFI = {
  offline: false,
  latency: 150,
  downloadThroughput: 1_600_000 / 8,
  uploadThroughput: 750_000 / 8,
};
const JS_BUDGET_BYTES = 150_000;
const FIRST_PAINT_BUDGET_MS = 3_000;
/**
 * Generous on purpose (the test machine is shared and noisy): measured 1.4–2.0 s (median about
 * 1.6 s; 2.7–5.0 s before the handheld screens dropped Cloudscape), so more than 2× the median.
 * It catches a scan field that waits on the network or a desk chunk again, not small regressions.
 */
const USABLE_SCAN_FIELD_BUDGET_MS = 4_000;

let runtime: TestRuntime;
let browser: Browser;

beforeAll(async () => {
  await ensureConsoleBuilt({ root: REPO_ROOT, log: (m) => console.log(m) });
  runtime = await startTestRuntime();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

interface Transfer {
  url: string;
  type: string;
  status: number;
  headers: Record<string, string>;
  /** Bytes on the wire, as the browser counted them (compressed body and headers). */
  encodedBytes: number;
}

/** Records every response of a page through the DevTools protocol, under throttling, cache off. */
async function throttle(page: Page): Promise<{ cdp: CDPSession; transfers: Transfer[] }> {
  const cdp = await page.context().newCDPSession(page);
  const pending = new Map<string, Omit<Transfer, 'encodedBytes'>>();
  const transfers: Transfer[] = [];
  cdp.on('Network.responseReceived', ({ requestId, type, response }) => {
    const headers = Object.fromEntries(
      Object.entries(response.headers).map(([k, v]) => [k.toLowerCase(), v]),
    );
    pending.set(requestId, { url: response.url, type, status: response.status, headers });
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const response = pending.get(requestId);
    if (response) transfers.push({ ...response, encodedBytes: encodedDataLength });
  });
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', WAREHOUSE_WIFI);
  return { cdp, transfers };
}

/**
 * The bytes a gzip-only client receives for `url`: asked of the server with
 * `Accept-Encoding: gzip` (node:http does not decompress), so the server's own encoding counts.
 */
function gzipBytes(url: string): Promise<{ bytes: number; encoding: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ bytes: body.length, encoding: res.headers['content-encoding'], body });
      });
      res.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * Records, in the page, when an enabled input inside `[data-testid=<testId>]` first has the
 * focus (performance.now(): ms since navigation start), the moment a scanner can type into it.
 */
function recordUsable(testId: string) {
  const w = window as unknown as { __usableAt?: number };
  const check = () => {
    const active = document.activeElement as HTMLInputElement | null;
    if (w.__usableAt === undefined && active?.tagName === 'INPUT' && !active.disabled) {
      if (active.closest(`[data-testid="${testId}"]`)) w.__usableAt = performance.now();
    }
  };
  document.addEventListener('focusin', check, true);
}

async function firstPaints(page: Page) {
  return page.evaluate(() => {
    const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime;
    return { firstPaint: at('first-paint'), firstContentfulPaint: at('first-contentful-paint') };
  });
}

/** Loads `path` on the throttled link and waits for `ready`; returns what went over the wire. */
async function measure(page: Page, path: string, ready: string, options: { scanField?: boolean } = {}) {
  if (options.scanField) await page.context().addInitScript(recordUsable, ready);
  const { cdp, transfers } = await throttle(page);
  const started = Date.now();
  await page.goto(path);
  await page.getByTestId(ready).waitFor({ timeout: 30_000 });
  const readyMs = Date.now() - started;
  let usableMs: number | undefined;
  if (options.scanField) {
    await page.waitForFunction(() => (window as { __usableAt?: number }).__usableAt !== undefined, null, {
      timeout: 30_000,
    });
    usableMs = await page.evaluate(() => (window as { __usableAt?: number }).__usableAt);
  }
  // The last chunks may still be in flight when the element appears: let the page settle.
  await page.waitForLoadState('networkidle');
  const paints = await firstPaints(page);
  await cdp.detach();
  const scripts = transfers.filter((t) => t.type === 'Script');
  const wireBytes = scripts.reduce((sum, t) => sum + t.encodedBytes, 0);
  const gzipped = await Promise.all(scripts.map((t) => gzipBytes(t.url)));
  const gzipTotal = gzipped.reduce((sum, g) => sum + g.bytes, 0);
  console.log(
    `[console-speed] ${path.split('?')[0]}: ${scripts.length} scripts, ${(gzipTotal / 1000).toFixed(1)} kB JS gzipped ` +
      `(${(wireBytes / 1000).toFixed(1)} kB on the wire, ${scripts[0]?.headers['content-encoding']}), ` +
      `${(transfers.reduce((s, t) => s + t.encodedBytes, 0) / 1000).toFixed(1)} kB in all, ` +
      `first paint ${paints.firstPaint?.toFixed(0)} ms, first contentful paint ${paints.firstContentfulPaint?.toFixed(0)} ms, ` +
      `ready ${readyMs} ms${usableMs === undefined ? '' : `, scan field usable ${usableMs.toFixed(0)} ms`}`,
  );
  return { transfers, scripts, gzipped, gzipTotal, readyMs, usableMs, ...paints };
}

/** Every script came gzip-encoded to the gzip-only request, with none of Cloudscape's component code. */
function expectGzippedWithoutCloudscape(load: Awaited<ReturnType<typeof measure>>) {
  expect(load.gzipped.length).toBeGreaterThan(0);
  for (const [i, g] of load.gzipped.entries()) {
    const url = load.scripts[i]?.url;
    expect(g.encoding, url).toBe('gzip');
    // Cloudscape components carry their scoped class names (awsui_<name>_<hash>) in their code.
    expect(zlib.gunzipSync(g.body).toString('utf8'), url).not.toMatch(/awsui_[a-z-]+_[a-z0-9]{5}/);
  }
}

function expectCompressedAndCached(transfers: Transfer[]) {
  const assets = transfers.filter((t) => new URL(t.url).pathname.startsWith('/assets/'));
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of assets) {
    expect(asset.status, asset.url).toBe(200);
    expect(asset.headers['cache-control'], asset.url).toBe('public, max-age=31536000, immutable');
    if (/\.(js|css)$/.test(asset.url)) {
      expect(['br', 'gzip'], asset.url).toContain(asset.headers['content-encoding']);
      expect(asset.headers.vary, asset.url).toMatch(/accept-encoding/i);
    }
  }
  const document = transfers.find((t) => t.type === 'Document');
  expect(document?.headers['cache-control']).toBe('no-cache');
  expect(document?.headers['content-encoding']).toMatch(/^(br|gzip)$/);
}

describe('console: speed on a weak warehouse Wi-Fi link', () => {
  it('loads the sign-in page with at most 150 kB of gzipped JavaScript and paints within 3 s', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url, {
      viewport: VIEWPORTS.handheld,
    });
    try {
      const load = await measure(page, '/signin', 'local-signin');
      expect(load.gzipTotal).toBeGreaterThan(0);
      expect(load.gzipTotal).toBeLessThanOrEqual(JS_BUDGET_BYTES);
      expectGzippedWithoutCloudscape(load);
      expect(load.firstContentfulPaint).toBeLessThan(FIRST_PAINT_BUDGET_MS);
      // The sign-in page does not download the desk shell or any screen.
      expect(load.scripts.map((s) => new URL(s.url).pathname).join(' ')).not.toMatch(
        /\/assets\/(shell|table)-/,
      );
      expectCompressedAndCached(load.transfers);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each([
    // A wave's task screen (the wave has no task here: the scan field shows, then says the wave is
    // done and turns off, so only its first usable moment is measured).
    ['the scanner pick screen', '/warehouse/pick?wave=W-SPEED', 'scan-input', false],
    ['the wave chooser', '/warehouse/pick', 'wave-input', true],
    ['the pack station', '/warehouse/pack', 'fulfillment-input', true],
  ])('loads %s for a warehouse associate within the same budgets', async (_name, path, ready, stays) => {
    const { context, page, errors } = await openConsole(browser, runtime.url, {
      viewport: VIEWPORTS.handheld,
    });
    try {
      // Signed in already (the token a sign-in leaves), so only the scanner screen itself loads.
      const res = await fetch(`${runtime.url}/local/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'warehouse-associate' }),
      });
      const { idToken } = (await res.json()) as { idToken: string };
      await context.addInitScript((token) => localStorage.setItem('qm.local.idToken', token), idToken);

      const load = await measure(page, path, ready, { scanField: true });
      expect(load.gzipTotal).toBeLessThanOrEqual(JS_BUDGET_BYTES);
      expectGzippedWithoutCloudscape(load);
      expect(load.firstContentfulPaint).toBeLessThan(FIRST_PAINT_BUDGET_MS);
      expect(load.usableMs).toBeLessThan(USABLE_SCAN_FIELD_BUDGET_MS);
      if (stays) {
        // Usable means a scanner's keystrokes land in it.
        await page.keyboard.type('W-1');
        expect(await page.getByTestId(ready).locator('input').inputValue()).toBe('W-1');
      }
      const scripts = load.scripts.map((s) => new URL(s.url).pathname).join(' ');
      expect(scripts).not.toMatch(/\/assets\/(shell|table|signin)-/);
      expectCompressedAndCached(load.transfers);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('revalidates index.html by ETag and sends uncompressed bytes to clients that ask for none', async () => {
    const first = await fetch(`${runtime.url}/warehouse/pick`, {
      headers: { 'accept-encoding': 'identity' },
    });
    const html = await first.text();
    expect(first.headers.get('content-encoding')).toBeNull();
    expect(html).toContain('<div id="root">');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(`${runtime.url}/warehouse/pick`, {
      headers: { 'accept-encoding': 'identity', 'if-none-match': etag as string },
    });
    expect(again.status).toBe(304);
    expect(first.headers.get('x-frame-options')).toBe('DENY');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
