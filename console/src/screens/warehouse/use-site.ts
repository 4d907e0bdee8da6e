import { useMySite } from '../../app/preferences.ts';
import { useUser } from '../../app/session.tsx';
import { useQueryParams } from '../../components/query-params.ts';

// Its own module, free of Cloudscape, so the handheld pack screen can use it too.
/**
 * The location a warehouse screen works on: `?location=` when the link names one (deep links),
 * else the user's "my site". Choosing one here puts it in the URL.
 */
export function useSite(): [string | undefined, (locationId: string) => void] {
  const user = useUser();
  const [mySite] = useMySite(user.username);
  const [params, change] = useQueryParams();
  const site = params.get('location') ?? mySite;
  const set = (locationId: string) => change({ location: locationId });
  return [site, set];
}
