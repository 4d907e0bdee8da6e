import { type ComponentType, type JSX, lazy, Suspense, useMemo } from 'react';
import { type RouteObject, useRoutes } from 'react-router';

/**
 * A lazily loaded component that renders without suspending once its module is loaded (by
 * `preloadFirstScreen`): React.lazy resolves at once from a thenable that calls back
 * synchronously. A plain lazy() would suspend on its first render even with the module at hand,
 * and React then holds the reveal for its 300 ms fallback throttle: the scan field came late.
 */
// biome-ignore lint/suspicious/noExplicitAny: any component, as React.lazy itself takes.
function preloadable<C extends ComponentType<any>>(load: () => Promise<{ default: C }>) {
  let loaded: { default: C } | undefined;
  const preload = () =>
    load().then((m) => {
      loaded = m;
      return m;
    });
  const Component = lazy<C>(() => {
    const at = loaded;
    if (!at) return preload();
    // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose, React reads it synchronously.
    return { then: (resolve: (m: { default: C }) => void) => resolve(at) } as Promise<{ default: C }>;
  });
  return { Component, preload };
}

// The sign-in page and the signed-in frame are chunks of their own too: the sign-in page never
// loads the app layout, navigation and notifications, and a signed-in user never loads sign-in.
const signIn = preloadable(() => import('./screens/signin.tsx'));
const SignInPage = signIn.Component;
// The handheld scanner screens' slim frame (instead of the desk shell).
const scannerFrame = preloadable(() => import('./screens/warehouse/scanner-frame.tsx'));
const ScannerFrame = scannerFrame.Component;
// The role gate (and the API route table it reads) is needed only once someone is signed in.
const gate = preloadable(() => import('./components/gate.tsx').then((m) => ({ default: m.Gate })));
const Gate = gate.Component;
const shell = preloadable(() => import('./components/shell.tsx').then((m) => ({ default: m.Shell })));
const Shell = shell.Component;

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
const pick = preloadable(() => import('./screens/warehouse/pick.tsx'));
const Pick = pick.Component;
const pack = preloadable(() => import('./screens/warehouse/pack.tsx'));
const Pack = pack.Component;
const receive = preloadable(() => import('./screens/warehouse/receive.tsx'));
const Receive = receive.Component;
const putaway = preloadable(() => import('./screens/warehouse/putaway.tsx'));
const Putaway = putaway.Component;
const count = preloadable(() => import('./screens/warehouse/count.tsx'));
const Count = count.Component;
const CountVariances = lazy(() => import('./screens/warehouse/count-variances.tsx'));
const PurchaseOrders = lazy(() => import('./screens/purchasing/purchase-orders.tsx'));
const PurchaseOrderDetail = lazy(() => import('./screens/purchasing/purchase-order-detail.tsx'));
const Suppliers = lazy(() => import('./screens/purchasing/suppliers.tsx'));
const Transfers = lazy(() => import('./screens/purchasing/transfers.tsx'));
const dock = preloadable(() => import('./screens/returns/dock.tsx'));
const Dock = dock.Component;
const Returns = lazy(() => import('./screens/returns/returns.tsx'));
const ReturnDetail = lazy(() => import('./screens/returns/return-detail.tsx'));
const Finance = lazy(() => import('./screens/finance/finance.tsx'));
const Planning = lazy(() => import('./screens/planning/planning.tsx'));
const Kpis = lazy(() => import('./screens/oversight/kpis.tsx'));
const Alerts = lazy(() => import('./screens/oversight/alerts.tsx'));
const Settings = lazy(() => import('./screens/settings/settings.tsx'));
const Audit = lazy(() => import('./screens/audit/audit.tsx'));
const NotFound = lazy(() => import('./screens/not-found.tsx'));

/**
 * Starts downloading the chunks the first screen needs while the config and the session load,
 * instead of after (on a 150 ms link every round trip saved shows). Resolves when they are in,
 * so the first render shows the screen itself, not a fallback; never rejects (a failed preload
 * is retried by the lazy component, which reports it).
 */
export function preloadFirstScreen(pathname: string): Promise<void> {
  const loads = pathname.startsWith('/signin')
    ? [signIn.preload]
    : pathname.startsWith('/warehouse/pick')
      ? [scannerFrame.preload, pick.preload]
      : pathname.startsWith('/warehouse/pack')
        ? [scannerFrame.preload, pack.preload]
        : pathname.startsWith('/warehouse/receive')
          ? [scannerFrame.preload, receive.preload]
          : pathname.startsWith('/warehouse/putaway')
            ? [scannerFrame.preload, putaway.preload]
            : pathname.startsWith('/warehouse/count/') || pathname === '/warehouse/count'
              ? [scannerFrame.preload, count.preload]
              : pathname.startsWith('/returns/dock')
                ? [scannerFrame.preload, dock.preload]
                : [shell.preload, gate.preload];
  return Promise.all(loads.map((load) => load())).then(
    () => undefined,
    () => undefined,
  );
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
      path: 'warehouse/variances',
      element: (
        <Gate area="warehouse">
          <CountVariances />
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
      path: 'finance',
      element: (
        <Gate area="finance">
          <Finance />
        </Gate>
      ),
    },
    {
      path: 'planning',
      element: (
        <Gate area="planning">
          <Planning />
        </Gate>
      ),
    },
    {
      path: 'kpis',
      element: (
        <Gate area="kpis">
          <Kpis />
        </Gate>
      ),
    },
    {
      path: 'alerts',
      element: (
        <Gate area="alerts">
          <Alerts />
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
      path: 'purchasing/transfers',
      element: (
        <Gate area="purchasing">
          <Transfers />
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
      path: 'returns',
      element: (
        <Gate area="returns">
          <Returns />
        </Gate>
      ),
    },
    {
      path: 'returns/:returnId',
      element: (
        <Gate area="returns">
          <ReturnDetail />
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
  // No area gate: each screen checks its own stricter route (pick, pack scan), and the handheld's
  // first load skips the gate's desk layout.
  const scannerScreens = (screen: JSX.Element): RouteObject[] => [{ index: true, element: screen }];
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
      children: scannerScreens(<Pick />),
    },
    {
      path: '/warehouse/pack',
      element: (
        <Suspense fallback={null}>
          <ScannerFrame />
        </Suspense>
      ),
      children: scannerScreens(<Pack />),
    },
    {
      path: '/warehouse/receive',
      element: (
        <Suspense fallback={null}>
          <ScannerFrame />
        </Suspense>
      ),
      children: scannerScreens(<Receive />),
    },
    {
      path: '/warehouse/putaway',
      element: (
        <Suspense fallback={null}>
          <ScannerFrame />
        </Suspense>
      ),
      children: scannerScreens(<Putaway />),
    },
    {
      path: '/warehouse/count',
      element: (
        <Suspense fallback={null}>
          <ScannerFrame />
        </Suspense>
      ),
      children: scannerScreens(<Count />),
    },
    {
      path: '/returns/dock',
      element: (
        <Suspense fallback={null}>
          <ScannerFrame />
        </Suspense>
      ),
      children: scannerScreens(<Dock />),
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
