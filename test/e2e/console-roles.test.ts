import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST } from '../../lib/manifest/index.ts';
import type { Role } from '../../lib/manifest/types.ts';
import { ensureConsoleBuilt } from '../../local/console-build.ts';
import { REPO_ROOT } from '../../local/runtime.ts';
import {
  callApiAsConsole,
  eventually,
  launchBrowser,
  navItems,
  openConsole,
  signInAs,
  visibleText,
} from '../support/browser.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * What each role finds in the side navigation: the console shows only what the API allows, as
 * the manifest declares it. Warehouse (waves, pick, pack) is for everyone who reads fulfillment,
 * which is everyone but finance.
 */
const WAREHOUSE = ['Warehouse', 'Waves'];
/** The floor also picks, packs, receives and puts away. */
const FLOOR = ['Warehouse', 'Waves', 'Pick', 'Pack station', 'Receive', 'Put away'];
/** Counting: the floor and inventory control count; supervisors and inventory control see the approval queue. */
const COUNT = 'Count';
const APPROVALS = 'Count approvals';
/** Every role reads purchase orders, suppliers and transfers. */
const PURCHASING = ['Purchasing', 'Purchase orders', 'Suppliers', 'Transfers'];
/** Every role reads returns; the dock (admin, supervisors, associates) also receives them. */
const RETURNS = ['Returns', 'All returns'];
const RETURNS_DOCK = [...RETURNS, 'Dock receiving'];
const NAV_BY_ROLE: Record<Role, string[]> = {
  admin: [
    'Overview',
    'Inventory',
    'Orders',
    'Intake exceptions',
    ...FLOOR,
    COUNT,
    APPROVALS,
    ...PURCHASING,
    ...RETURNS_DOCK,
    'Finance',
    'Planning',
    'KPIs',
    'Alerts',
    'Settings',
    'Audit trail',
  ],
  supervisor: [
    'Overview',
    'Inventory',
    'Orders',
    'Intake exceptions',
    ...FLOOR,
    COUNT,
    APPROVALS,
    ...PURCHASING,
    ...RETURNS_DOCK,
    'Finance',
    'Planning',
    'KPIs',
    'Alerts',
    'Settings',
    'Audit trail',
  ],
  'inventory-controller': [
    'Overview',
    'Inventory',
    ...WAREHOUSE,
    COUNT,
    APPROVALS,
    ...PURCHASING,
    ...RETURNS,
    'Finance',
    'Planning',
    'KPIs',
    'Alerts',
    'Settings',
  ],
  'warehouse-associate': ['Overview', 'Inventory', 'Orders', ...FLOOR, COUNT, ...PURCHASING, ...RETURNS_DOCK],
  'customer-service': [
    'Overview',
    'Inventory',
    'Orders',
    'Intake exceptions',
    ...WAREHOUSE,
    ...PURCHASING,
    ...RETURNS,
    'Alerts',
  ],
  finance: [
    'Overview',
    'Inventory',
    'Orders',
    ...PURCHASING,
    ...RETURNS,
    'Finance',
    'Planning',
    'KPIs',
    'Audit trail',
  ],
};

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

describe('console: sign-in and roles', () => {
  for (const [role, expected] of Object.entries(NAV_BY_ROLE) as [Role, string[]][]) {
    it(`signs in as ${role} and shows exactly that role's areas`, async () => {
      const { context, page, errors } = await openConsole(browser, runtime.url);
      try {
        await signInAs(page, role);

        expect(await navItems(page)).toEqual(expected);
        await eventually(() => page.locator('h1').first().textContent()).toBe('Overview');
        expect(await page.getByText(`Signed in as local-${role}`).count()).toBe(1);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it('keeps a warehouse associate out of settings, and the API refuses them with 403', async () => {
    const { context, page } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'warehouse-associate');
      expect(await navItems(page)).not.toContain('Settings');

      await page.goto('/settings/locations');
      await page.getByTestId('no-access').waitFor();
      expect(await page.getByTestId('location-form').count()).toBe(0);

      const refused = await callApiAsConsole(page, 'PUT', '/api/locations/DC-ROGUE', {
        name: 'Rogue',
        type: 'warehouse',
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
      // The same token may read what the role allows, so the 403 is about the role, not the token.
      expect((await callApiAsConsole(page, 'GET', '/api/inventory/NOPE-1')).status).toBe(200);
    } finally {
      await context.close();
    }
  });

  it('keeps a role the fulfillment routes do not admit out of the warehouse screens', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'finance');
      // A deep link: the area exists, the role is not among its routes' roles.
      await page.goto('/warehouse');
      await page.getByTestId('no-access').waitFor();
      expect(await page.getByTestId('waves-table').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('builds the settings role matrix and tabs from the manifest alone', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'admin');
      await page.goto('/settings/users');
      const matrix = page.getByTestId('role-matrix');
      await matrix.getByText('PUT /api/locations/{id}', { exact: true }).waitFor();
      const declared = MANIFEST.routes.filter((r) => r.path.startsWith('/api/') && 'roles' in r.auth);
      expect(await matrix.locator('tbody tr').count()).toBe(declared.length);
      expect(await matrix.getByText('GET /api/waves', { exact: true }).count()).toBe(1);
      expect(await matrix.getByText('planned').count()).toBe(0);
      const tabs = await page.getByRole('tab').allTextContents();
      expect(tabs).toEqual([
        'Locations',
        'Bins and waves',
        'Channels',
        'Routing rules',
        'Carriers and cutoffs',
        'Users and roles',
      ]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lets an administrator use settings: a location saved from the form', async () => {
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'admin');
      await page.goto('/settings/locations');
      const form = page.getByTestId('location-form');
      await form.locator('input').nth(0).fill('DC-WEST');
      await form.locator('input').nth(1).fill('West DC');
      await form.getByRole('button', { name: 'Save location' }).click();
      await page.getByText('Location DC-WEST saved').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the refused command in the audit trail, with who, role, outcome and details', async () => {
    const refused = await runtime.api('PUT', '/api/locations/DC-AUDIT', {
      role: 'warehouse-associate',
      body: { name: 'Audited', type: 'store' },
    });
    expect(refused.status).toBe(403);
    const { context, page, errors } = await openConsole(browser, runtime.url);
    try {
      await signInAs(page, 'supervisor');
      await page.goto('/audit?actor=local-warehouse-associate');
      const row = page.getByTestId('audit-table').locator('tbody tr').filter({ hasText: 'id=DC-AUDIT' });
      await row.first().waitFor();
      expect(await visibleText(row.first())).toMatch(
        /local-warehouse-associate[\s\S]*Warehouse associate[\s\S]*Saved a location[\s\S]*Rejected \(403\)/,
      );

      await row.first().click();
      await page.getByText('Saved a location by local-warehouse-associate').waitFor();
      expect(new URL(page.url()).searchParams.get('entry')).toMatch(/[0-9a-f-]{36}/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('sends the user back to sign-in when the API says the session is over (401), then returns', async () => {
    const { context, page } = await openConsole(browser, runtime.url);
    try {
      // A token the console can read but the API rejects (bad signature): as if revoked or tampered.
      const payload = Buffer.from(
        JSON.stringify({ 'cognito:groups': ['admin'], 'cognito:username': 'ghost', exp: 4_102_444_800 }),
      ).toString('base64url');
      await context.addInitScript((token) => {
        if (!sessionStorage.getItem('qm.test.seeded')) {
          sessionStorage.setItem('qm.test.seeded', '1');
          localStorage.setItem('qm.local.idToken', token);
        }
      }, `eyJhbGciOiJSUzI1NiJ9.${payload}.c2lnbmF0dXJl`);
      await page.goto('/audit');
      await page.waitForURL(/\/signin\?/);
      expect(new URL(page.url()).searchParams.get('next')).toBe('/audit');
      await page.getByText('Your session ended').waitFor();

      await signInAs(page, 'finance', { next: '/audit' });
      await page.waitForURL(/\/audit$/);
    } finally {
      await context.close();
    }
  });
});
