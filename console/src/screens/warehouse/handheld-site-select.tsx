import { Field } from '../../components/plain.tsx';

/**
 * The handheld screens' "My site" picker (plain, no Cloudscape): the locations loaded so far,
 * plus the remembered site when it is not among them yet (so the choice never looks lost).
 */
export function HandheldSiteSelect(props: {
  site: string | undefined;
  onChange: (site: string | undefined) => void;
  locations: readonly { locationId: string; name: string }[] | undefined;
  testId: string;
}) {
  const { site, locations = [] } = props;
  return (
    <Field label="My site">
      <select
        value={site ?? ''}
        onChange={(e) => props.onChange(e.target.value || undefined)}
        data-testid={props.testId}
        className="qm-select qm-native-select"
      >
        <option value="">Choose…</option>
        {site && !locations.some((l) => l.locationId === site) && <option value={site}>{site}</option>}
        {locations.map((l) => (
          <option key={l.locationId} value={l.locationId}>
            {l.locationId} · {l.name}
          </option>
        ))}
      </select>
    </Field>
  );
}
