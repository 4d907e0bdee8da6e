import FormField from '@cloudscape-design/components/form-field';
import Select from '@cloudscape-design/components/select';
import { useMySite } from '../../app/preferences.ts';
import { useUser } from '../../app/session.tsx';
import { useLocations } from '../../components/my-site.tsx';

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
