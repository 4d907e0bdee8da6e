import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useParams } from 'react-router';
import { endpoints } from '../../api/endpoints.ts';
import { usePage } from '../../app/chrome.tsx';
import { useMySite } from '../../app/preferences.ts';
import { useUser } from '../../app/session.tsx';
import { useResource } from '../../app/use-resource.ts';
import { formatDateTime } from '../../components/format.tsx';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, EmptyState } from '../../components/states.tsx';
import { StockBrowse } from './browse.tsx';
import { TYPE_LABELS } from './locations.tsx';
import { ThreePLPanel } from './threepl-panel.tsx';

/** One stocking location: its definition, the stock kept there, and "make it my site". */
export default function LocationDetail() {
  const { locationId = '' } = useParams();
  const user = useUser();
  const [mySite, setMySite] = useMySite(user.username);
  usePage(locationId, [
    { text: 'Inventory', href: '/inventory' },
    { text: 'Locations', href: '/inventory?tab=locations' },
    { text: locationId, href: `/inventory/locations/${encodeURIComponent(locationId)}` },
  ]);
  const location = useResource(`location:${locationId}`, (signal) =>
    endpoints.getLocation(locationId, signal),
  );

  if (location.error?.status === 404 && !location.error.notAvailable) {
    return (
      <ContentLayout header={<Header variant="h1">{locationId}</Header>}>
        <Container>
          <EmptyState
            title="Location not found"
            subtitle={`There is no stocking location ${locationId}.`}
            action={<RouterLink href="/inventory?tab=locations">All locations</RouterLink>}
          />
        </Container>
      </ContentLayout>
    );
  }
  const l = location.data;
  const address = l?.address;
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={l ? `${TYPE_LABELS[l.type] ?? l.type} · ${l.locationId}` : undefined}
          actions={
            mySite === locationId ? (
              <Button onClick={() => setMySite(undefined)} data-testid="my-site-toggle">
                Stop using as my site
              </Button>
            ) : (
              <Button variant="primary" onClick={() => setMySite(locationId)} data-testid="my-site-toggle">
                Make this my site
              </Button>
            )
          }
        >
          <span data-testid="location-title">{l?.name ?? locationId}</span>
        </Header>
      }
    >
      <SpaceBetween size="l">
        {location.error && (
          <ApiErrorAlert error={location.error} onRetry={location.reload} what="load the location" />
        )}
        <Container header={<Header variant="h2">Location</Header>}>
          <KeyValuePairs
            columns={4}
            items={[
              { label: 'Id', value: locationId },
              { label: 'Type', value: l ? (TYPE_LABELS[l.type] ?? l.type) : '—' },
              { label: 'Time zone', value: l?.timezone ?? '—' },
              {
                label: 'Address',
                value: address
                  ? [
                      address.line1,
                      address.line2,
                      `${address.postalCode} ${address.city}`,
                      address.region,
                      address.country,
                    ]
                      .filter(Boolean)
                      .join(', ')
                  : '—',
              },
              { label: 'Created', value: formatDateTime(l?.createdAt) },
              { label: 'Updated', value: formatDateTime(l?.updatedAt) },
              { label: 'My site', value: mySite === locationId ? 'Yes' : 'No' },
            ]}
          />
        </Container>
        {l?.type === '3pl' && (
          <ThreePLPanel locationId={locationId} {...(l.connection ? { connection: l.connection } : {})} />
        )}
        <StockBrowse fixedLocation={locationId} />
      </SpaceBetween>
    </ContentLayout>
  );
}
