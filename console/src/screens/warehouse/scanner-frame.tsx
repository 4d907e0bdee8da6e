import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Spinner from '@cloudscape-design/components/spinner';
import { Suspense } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { ChromeProvider } from '../../app/chrome.tsx';
import { ROLE_LABELS } from '../../app/identity.ts';
import { useSession } from '../../app/session.tsx';
import { RouterLink } from '../../components/links.tsx';
import './scanner-frame.css';

/**
 * The frame of the handheld scanner screens: one slim bar (back to the console, who is signed
 * in, sign out) instead of the console's app layout, navigation, notifications and split panel.
 * A handheld on warehouse Wi-Fi loads a third of the JavaScript the desk shell needs, and the
 * screen keeps its whole height for the pick.
 */
export default function ScannerFrame() {
  const { user, endedReason, signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  if (!user) {
    const params = new URLSearchParams({ next: `${location.pathname}${location.search}` });
    if (endedReason) params.set('ended', '1');
    return <Navigate to={`/signin?${params}`} replace />;
  }
  return (
    <ChromeProvider>
      <header className="qm-scanner-bar" data-testid="scanner-bar">
        <RouterLink href="/warehouse" data-testid="scanner-back">
          ‹ Warehouse
        </RouterLink>
        <Box variant="span" color="text-body-secondary" fontSize="body-s">
          {user.username} · {user.roles.map((r) => ROLE_LABELS[r]).join(', ') || 'No role'}
        </Box>
        <Button
          variant="inline-link"
          onClick={async () => {
            await signOut();
            navigate('/signin');
          }}
        >
          Sign out
        </Button>
      </header>
      <main className="qm-scanner-main">
        <Suspense fallback={<Spinner size="large" />}>
          <Outlet />
        </Suspense>
      </main>
    </ChromeProvider>
  );
}
