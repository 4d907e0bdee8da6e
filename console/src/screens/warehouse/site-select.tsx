import FormField from '@cloudscape-design/components/form-field';
import Select from '@cloudscape-design/components/select';
import { useSearchParams } from 'react-router';
import { useMySite } from '../../app/preferences.ts';
import { useUser } from '../../app/session.tsx';
import { useLocations } from '../../components/my-site.tsx';

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

/** A location picker; "my site" is marked. */
export function SiteSelect(props: { value: string | undefined; onChange: (locationId: string) => void }) {
  const user = useUser();
  const [mySite] = useMySite(user.username);
  const locations = useLocations();
  const options = locations.map((l) => ({
    value: l.locationId,
    label: l.locationId,
    description: `${l.name}${l.locationId === mySite ? ' · my site' : ''}`,
  }));
  if (props.value && !options.some((o) => o.value === props.value)) {
    options.unshift({ value: props.value, label: props.value, description: '' });
  }
  return (
    <FormField label="Location">
      <Select
        selectedOption={options.find((o) => o.value === props.value) ?? null}
        onChange={({ detail }) => detail.selectedOption.value && props.onChange(detail.selectedOption.value)}
        options={options}
        placeholder="Choose a location"
        empty="No locations"
        filteringType="auto"
        data-testid="site-select"
      />
    </FormField>
  );
}
