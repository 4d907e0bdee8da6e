import { lazy, Suspense, useMemo } from 'react';
import { type RouteObject, useRoutes } from 'react-router';

// The sign-in page and the signed-in frame are chunks of their own too: the sign-in page never
// loads the app layout, navigation and notifications, and a signed-in user never loads sign-in.
const loadSignIn = () => import('./screens/signin.tsx');
const SignInPage = lazy(loadSignIn);
// The handheld scanner screens' slim frame (instead of the desk shell).
const loadScannerFrame = () => import('./screens/warehouse/scanner-frame.tsx');
const ScannerFrame = lazy(loadScannerFrame);
// The role gate (and the API route table it reads) is needed only once someone is signed in.
const loadGate = () => import('./components/gate.tsx');
const Gate = lazy(() => loadGate().then((m) => ({ default: m.Gate })));
const loadShell = () => import('./components/shell.tsx');
const Shell = lazy(() => loadShell().then((m) => ({ default: m.Shell })));

// One chunk per screen: a handheld on a warehouse Wi-Fi downloads only what it opens.
const Overview = lazy(() => import('./screens/overview/overview.tsx'));
const InventorySearch = lazy(() => import('./screens/inventory/search.tsx'));
const SkuDetail = lazy(() => import('./screens/inventory/sku-detail.tsx'));
const LocationDetail = lazy(() => import('./screens/inventory/location-detail.tsx'));
const Orders = lazy(() => import('./screens/orders/orders.tsx'));
const OrderDetail = lazy(() => import('./screens/orders/order-detail.tsx'));
const IntakeExceptions = lazy(() => import('./screens/intake/exceptions.tsx'));
const IntakeExceptionDetail = lazy(() => import('./screens/intake/exception-detail.tsx'));
const Rejections = lazy(() => import('./screens/intake/rejections.tsx'));
const Waves = lazy(() => import('./screens/warehouse/waves.tsx'));
const loadPick = () => import('./screens/warehouse/pick.tsx');
const Pick = lazy(loadPick);
const Pack = lazy(() => import('./screens/warehouse/pack.tsx'));
const PurchaseOrders = lazy(() => import('./screens/purchasing/purchase-orders.tsx'));
const PurchaseOrderDetail = lazy(() => import('./screens/purchasing/purchase-order-detail.tsx'));
const Suppliers = lazy(() => import('./screens/purchasing/suppliers.tsx'));
const Settings = lazy(() => import('./screens/settings/settings.tsx'));
const Audit = lazy(() => import('./screens/audit/audit.tsx'));
const NotFound = lazy(() => import('./screens/not-found.tsx'));

/**
 * Starts downloading the chunks the first screen needs while the config and the session load,
 * instead of after (on a 150 ms link every round trip saved shows). The browser keeps each
 * module, so the lazy components later resolve from it.
 */
export function preloadFirstScreen(pathname: string): void {
  const loads: (() => Promise<unknown>)[] = pathname.startsWith('/signin')
    ? [loadSignIn]
    : pathname.startsWith('/warehouse/pick')
      ? [loadScannerFrame, loadPick]
      : [loadShell, loadGate];
  // A failed preload is retried by the lazy component, which reports it.
  for (const load of loads) load().catch(() => {});
}

/**
 * The console's routes. Rendered by `useRoutes` under a `BrowserRouter` (declarative mode): the
 * console loads its data in the screens, so the data router's loaders and actions would only
 * add 17 kB (gzipped) to every first load.
 */
export function ConsoleRoutes() {
  const routes = useMemo(consoleRoutes, []);
  return useRoutes(routes);
}

function consoleRoutes(): RouteObject[] {
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
      path: 'inventory/locations/:locationId',
      element: (
        <Gate area="inventory">
          <LocationDetail />
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
      path: 'warehouse/pack',
      element: (
        <Gate area="warehouse">
          <Pack />
        </Gate>
      ),
    },
    {
      path: 'purchasing',
      element: (
        <Gate area="purchasing">
          <PurchaseOrders />
        </Gate>
      ),
    },
    {
      path: 'purchasing/suppliers',
      element: (
        <Gate area="purchasing">
          <Suppliers />
        </Gate>
      ),
    },
    {
      path: 'purchasing/:poId',
      element: (
        <Gate area="purchasing">
          <PurchaseOrderDetail />
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
  // Scanner screens: a handheld frame of their own, without the desk shell's layout and navigation.
  // No area gate: the pick screen checks the stricter pick route itself, and the handheld's first
  // load skips the gate's desk layout.
  const scannerScreens: RouteObject[] = [{ index: true, element: <Pick /> }];
  return [
    {
      path: '/signin',
      element: (
        <Suspense fallback={null}>
          <SignInPage />
        </Suspense>
      ),
    },
    {
      path: '/warehouse/pick',
      element: (
        <Suspense fallback={null}>
          <ScannerFrame />
        </Suspense>
      ),
      children: scannerScreens,
    },
    {
      path: '/',
      element: (
        <Suspense fallback={null}>
          <Shell />
        </Suspense>
      ),
      children: screens,
    },
  ];
}
