import { lazy } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import type { ConsoleConfig } from './app/config.ts';
import { Gate } from './components/gate.tsx';
import { Shell } from './components/shell.tsx';
import SignInPage from './screens/signin.tsx';

// One chunk per screen: a handheld on a warehouse Wi-Fi downloads only what it opens.
const Overview = lazy(() => import('./screens/overview/overview.tsx'));
const InventorySearch = lazy(() => import('./screens/inventory/search.tsx'));
const SkuDetail = lazy(() => import('./screens/inventory/sku-detail.tsx'));
const Orders = lazy(() => import('./screens/orders/orders.tsx'));
const OrderDetail = lazy(() => import('./screens/orders/order-detail.tsx'));
const IntakeExceptions = lazy(() => import('./screens/intake/exceptions.tsx'));
const IntakeExceptionDetail = lazy(() => import('./screens/intake/exception-detail.tsx'));
const Rejections = lazy(() => import('./screens/intake/rejections.tsx'));
const Waves = lazy(() => import('./screens/warehouse/waves.tsx'));
const Pick = lazy(() => import('./screens/warehouse/pick.tsx'));
const PickHarness = lazy(() => import('./screens/warehouse/pick-harness.tsx'));
const Pack = lazy(() => import('./screens/warehouse/pack.tsx'));
const Settings = lazy(() => import('./screens/settings/settings.tsx'));
const Audit = lazy(() => import('./screens/audit/audit.tsx'));
const NotFound = lazy(() => import('./screens/not-found.tsx'));

export function createRouter(config: ConsoleConfig) {
  const screens: RouteObject[] = [
    { index: true, element: <Overview /> },
    {
      path: 'inventory',
      element: (
        <Gate area="inventory">
          <InventorySearch />
        </Gate>
      ),
    },
    {
      path: 'inventory/:sku',
      element: (
        <Gate area="inventory">
          <SkuDetail />
        </Gate>
      ),
    },
    {
      path: 'orders',
      element: (
        <Gate area="orders">
          <Orders />
        </Gate>
      ),
    },
    {
      path: 'orders/:orderId',
      element: (
        <Gate area="orders">
          <OrderDetail />
        </Gate>
      ),
    },
    {
      path: 'intake',
      element: (
        <Gate area="intake">
          <IntakeExceptions />
        </Gate>
      ),
    },
    {
      path: 'intake/rejections',
      element: (
        <Gate area="intake">
          <Rejections />
        </Gate>
      ),
    },
    {
      path: 'intake/:exceptionId',
      element: (
        <Gate area="intake">
          <IntakeExceptionDetail />
        </Gate>
      ),
    },
    {
      path: 'warehouse',
      element: (
        <Gate area="warehouse">
          <Waves />
        </Gate>
      ),
    },
    {
      path: 'warehouse/pick',
      element: (
        <Gate area="warehouse">
          <Pick />
        </Gate>
      ),
    },
    {
      path: 'warehouse/pack',
      element: (
        <Gate area="warehouse">
          <Pack />
        </Gate>
      ),
    },
    {
      path: 'settings',
      element: (
        <Gate area="settings">
          <Settings />
        </Gate>
      ),
    },
    {
      path: 'settings/:tab',
      element: (
        <Gate area="settings">
          <Settings />
        </Gate>
      ),
    },
    {
      path: 'audit',
      element: (
        <Gate area="audit">
          <Audit />
        </Gate>
      ),
    },
    { path: '*', element: <NotFound /> },
  ];
  if (config.mode === 'local') {
    // Local only: the pick screen driven by a given list of pick lines (browser tests, demos).
    screens.splice(screens.length - 1, 0, { path: 'warehouse/pick/harness', element: <PickHarness /> });
  }
  return createBrowserRouter([
    { path: '/signin', element: <SignInPage /> },
    { path: '/', element: <Shell />, children: screens },
  ]);
}
