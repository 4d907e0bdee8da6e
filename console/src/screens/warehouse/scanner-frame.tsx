import { Suspense } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { ChromeProvider } from '../../app/chrome.tsx';
import { ROLE_LABELS } from '../../app/identity.ts';
import { useSession } from '../../app/session.tsx';
import { PlainButton, Spinner } from '../../components/plain.tsx';
import './scanner-frame.css';

/**
 * The frame of the handheld scanner screens (pick, pack): one slim bar (back to the console, who
 * is signed in, sign out) instead of the console's app layout, navigation, notifications and
 * split panel. Plain elements, no Cloudscape: a handheld on warehouse Wi-Fi loads well under half
 * the JavaScript the desk shell needs, and the screen keeps its whole height for the work.
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
      <div className="qm-plain">
        <header className="qm-scanner-bar" data-testid="scanner-bar">
          <Link to="/warehouse" data-testid="scanner-back">
            ‹ Warehouse
          </Link>
          <span className="qm-muted qm-scanner-user">
            {user.username} · {user.roles.map((r) => ROLE_LABELS[r]).join(', ') || 'No role'}
          </span>
          <PlainButton
            variant="link"
            onClick={async () => {
              await signOut();
              navigate('/signin');
            }}
          >
            Sign out
          </PlainButton>
        </header>
        <main className="qm-scanner-main">
          <Suspense fallback={<Spinner />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </ChromeProvider>
  );
}
