import { useSearchParams } from 'react-router';
import { useMySite } from '../../app/preferences.ts';
import { useUser } from '../../app/session.tsx';

// Its own module, free of Cloudscape, so the handheld pack screen can use it too.
/**
 * The location a warehouse screen works on: `?location=` when the link names one (deep links),
 * else the user's "my site". Choosing one here puts it in the URL.
 */
export function useSite(): [string | undefined, (locationId: string) => void] {
  const user = useUser();
  const [mySite] = useMySite(user.username);
  const [params, setParams] = useSearchParams();
  const site = params.get('location') ?? mySite;
  const set = (locationId: string) => {
    const next = new URLSearchParams(params);
    next.set('location', locationId);
    setParams(next, { replace: true });
  };
  return [site, set];
}
