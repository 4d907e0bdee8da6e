import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Toggle from '@cloudscape-design/components/toggle';
import { type FormEvent, useState } from 'react';
import type { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { PutChannelBody } from '../../api/types.ts';
import { can } from '../../app/access.ts';
import { CODE_PATTERN } from '../../app/ids.ts';
import { useNotifications } from '../../app/notifications.tsx';
import { useUser } from '../../app/session.tsx';
import { formatDateTime } from '../../components/format.tsx';
import { ApiErrorAlert, UndeclaredNotice } from '../../components/states.tsx';
import { ChannelSync } from './channel-sync.tsx';

const CHANNEL_TYPES = [
  { value: 'shopify', label: 'Shopify' },
  { value: 'woocommerce', label: 'WooCommerce' },
  { value: 'amazon', label: 'Amazon (SP-API)' },
  { value: 'generic', label: 'Custom storefront' },
] as const;

const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

const optionalNumber = (text: string) => (text.trim() === '' ? undefined : Number(text));

function ChannelForm() {
  const { notify } = useNotifications();
  const user = useUser();
  const [id, setId] = useState('');
  const [type, setType] = useState<PutChannelBody['type']>('shopify');
  const [secret, setSecret] = useState('');
  const [locations, setLocations] = useState('');
  const [exposure, setExposure] = useState({ percent: '', buffer: '', cap: '', floor: '' });
  const [priority, setPriority] = useState('');
  const [allowSplit, setAllowSplit] = useState(true);
  const [shopDomain, setShopDomain] = useState('');
  const [sellerId, setSellerId] = useState('');
  const [marketplaces, setMarketplaces] = useState('');
  /** Amazon SP-API: the LWA credentials (write-only) and an endpoint override. */
  const [lwa, setLwa] = useState({ lwaClientId: '', lwaClientSecret: '', refreshToken: '' });
  const [spEndpoint, setSpEndpoint] = useState('');
  const [storedConnection, setStoredConnection] = useState<{
    apiBaseUrl?: string;
    lwaUrl?: string;
    sellerId?: string;
    marketplaceId?: string;
    hasAccessToken?: boolean;
  } | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [loaded, setLoaded] = useState<{ hasSecret: boolean; updatedAt: string } | null>(null);
  const [loading, setLoading] = useState(false);

  /** Fills the form with the channel's current configuration (its secret is never returned). */
  const load = async () => {
    if (!CODE_PATTERN.test(id)) return setSubmitted(true);
    setLoading(true);
    setError(null);
    try {
      const c = await endpoints.getChannel(id);
      setType(c.type);
      setLocations(c.locationIds.join(', '));
      setExposure({
        percent: c.exposure?.percent?.toString() ?? '',
        buffer: c.exposure?.buffer?.toString() ?? '',
        cap: c.exposure?.cap?.toString() ?? '',
        floor: c.exposure?.floor?.toString() ?? '',
      });
      setPriority(c.priority?.toString() ?? '');
      setAllowSplit(c.allowSplit ?? true);
      setShopDomain(c.shopDomain ?? '');
      setSellerId(c.sellerId ?? '');
      setMarketplaces((c.marketplaceIds ?? []).join(', '));
      const connection = c.connection as
        | { apiBaseUrl?: string; lwaUrl?: string; hasAccessToken?: boolean }
        | undefined;
      setSpEndpoint(connection?.apiBaseUrl ?? '');
      setStoredConnection(connection ?? null);
      setLwa({ lwaClientId: '', lwaClientSecret: '', refreshToken: '' });
      setSecret('');
      setLoaded({ hasSecret: c.hasSecret, updatedAt: c.updatedAt });
    } catch (err) {
      setLoaded(null);
      setError(err as ApiError);
    }
    setLoading(false);
  };

  const numbersValid = Object.entries(exposure).every(([k, v]) => {
    const n = optionalNumber(v);
    return (
      n === undefined || (Number.isFinite(n) && n >= 0 && (k === 'percent' ? n <= 100 : Number.isInteger(n)))
    );
  });
  const errors = {
    id: CODE_PATTERN.test(id) ? undefined : 'Letters, digits, ".", "_" or "-"',
    locations: list(locations).every((l) => CODE_PATTERN.test(l))
      ? undefined
      : 'Location ids, separated by commas',
    exposure: numbersValid ? undefined : 'Percent 0–100; buffer, cap and floor whole units',
    priority: priority === '' || /^\d+$/.test(priority) ? undefined : 'A whole number 0–1000',
    lwa:
      type !== 'amazon' ||
      Object.values(lwa).every((v) => v === '') ||
      Object.values(lwa).every((v) => v !== '')
        ? undefined
        : 'Client id, client secret and refresh token come together',
    spEndpoint: spEndpoint === '' || /^https?:\/\/\S+$/.test(spEndpoint) ? undefined : 'An http(s) URL',
  };
  const show = (e: string | undefined) => (submitted ? e : undefined);

  /**
   * Amazon's connection, sent only when something in it was entered (a PUT without one keeps the
   * stored one): credentials left empty keep the stored ones, the rest of it is restated.
   */
  const amazonConnection = (): Pick<PutChannelBody, 'connection'> => {
    const credentials = Object.values(lwa).every((v) => v !== '');
    if (!credentials && spEndpoint === (storedConnection?.apiBaseUrl ?? '')) return {};
    // The rest of the stored connection (LWA origin, seller, marketplace) is restated as it was.
    const { hasAccessToken: _h, apiBaseUrl: _a, ...kept } = storedConnection ?? {};
    return {
      connection: {
        ...kept,
        ...(spEndpoint ? { apiBaseUrl: spEndpoint } : {}),
        ...(credentials ? lwa : {}),
      },
    };
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.values(errors).some(Boolean)) return;
    const exposureRule = Object.fromEntries(
      Object.entries(exposure)
        .map(([k, v]) => [k, optionalNumber(v)] as const)
        .filter(([, v]) => v !== undefined),
    );
    const body: PutChannelBody = {
      type,
      locationIds: list(locations),
      ...(secret ? { secret } : {}),
      ...(Object.keys(exposureRule).length ? { exposure: exposureRule } : {}),
      ...(priority ? { priority: Number(priority) } : {}),
      allowSplit,
      ...(type === 'shopify' && shopDomain ? { shopDomain } : {}),
      ...(type === 'amazon' && sellerId ? { sellerId } : {}),
      ...(type === 'amazon' && marketplaces ? { marketplaceIds: list(marketplaces) } : {}),
      ...(type === 'amazon' ? amazonConnection() : {}),
    };
    setBusy(true);
    setError(null);
    try {
      await endpoints.putChannel(id, body);
      notify({ type: 'success', header: `Channel ${id} saved` });
      setSecret('');
      setLwa({ lwaClientId: '', lwaClientSecret: '', refreshToken: '' });
      setSubmitted(false);
    } catch (err) {
      setError(err as ApiError);
    }
    setBusy(false);
  };

  return (
    <form onSubmit={submit} data-testid="channel-form">
      <Form
        header={
          <Header
            variant="h2"
            description="Creates the channel, or replaces its configuration. The webhook secret is write-only: leave it empty to keep the current one."
          >
            Channel and exposure rule
          </Header>
        }
        actions={
          <Button variant="primary" formAction="submit" loading={busy}>
            Save channel
          </Button>
        }
      >
        <Container>
          <SpaceBetween size="m">
            <ColumnLayout columns={3}>
              <FormField
                label="Channel id"
                errorText={show(errors.id)}
                secondaryControl={
                  can(user.roles, 'GET /api/channels/{channelId}') && (
                    <Button formAction="none" onClick={() => void load()} loading={loading}>
                      Load
                    </Button>
                  )
                }
                constraintText={
                  loaded
                    ? `Loaded; last changed ${formatDateTime(loaded.updatedAt)}${loaded.hasSecret ? ', secret set' : ''}`
                    : undefined
                }
              >
                <Input
                  value={id}
                  onChange={({ detail }) => {
                    setId(detail.value.trim());
                    setLoaded(null);
                  }}
                  placeholder="shopify-us"
                />
              </FormField>
              <FormField label="Type">
                <Select
                  selectedOption={CHANNEL_TYPES.find((t) => t.value === type) ?? null}
                  onChange={({ detail }) => setType(detail.selectedOption.value as PutChannelBody['type'])}
                  options={CHANNEL_TYPES.map((t) => ({ ...t }))}
                />
              </FormField>
              <FormField
                label="Webhook secret"
                constraintText={
                  type === 'amazon'
                    ? 'Not used for Amazon'
                    : loaded?.hasSecret
                      ? 'Leave empty to keep the current secret'
                      : 'Required for a new channel'
                }
              >
                <Input
                  type="password"
                  value={secret}
                  onChange={({ detail }) => setSecret(detail.value)}
                  disabled={type === 'amazon'}
                  autoComplete={false}
                />
              </FormField>
            </ColumnLayout>
            <FormField
              label="Serving locations"
              description="Stock at these locations counts for the channel."
              errorText={show(errors.locations)}
            >
              <Input
                value={locations}
                onChange={({ detail }) => setLocations(detail.value)}
                placeholder="DC-EAST, STORE-SOHO"
              />
            </FormField>
            <FormField
              label="Exposure rule"
              description="How much of the available stock the channel is shown."
              errorText={show(errors.exposure)}
            >
              <ColumnLayout columns={4}>
                {(
                  [
                    ['percent', 'Percent of available'],
                    ['buffer', 'Buffer (units held back)'],
                    ['cap', 'Cap (at most)'],
                    ['floor', 'Floor (below: show 0)'],
                  ] as const
                ).map(([k, label]) => (
                  <FormField key={k} label={label} stretch>
                    <Input
                      type="number"
                      value={exposure[k]}
                      onChange={({ detail }) => setExposure((x) => ({ ...x, [k]: detail.value }))}
                    />
                  </FormField>
                ))}
              </ColumnLayout>
            </FormField>
            <ColumnLayout columns={3}>
              <FormField
                label="Priority"
                constraintText="Higher wins when stock is short"
                errorText={show(errors.priority)}
              >
                <Input type="number" value={priority} onChange={({ detail }) => setPriority(detail.value)} />
              </FormField>
              <FormField label="Split shipments">
                <Toggle checked={allowSplit} onChange={({ detail }) => setAllowSplit(detail.checked)}>
                  Allow an order to ship from several locations
                </Toggle>
              </FormField>
              {type === 'shopify' && (
                <FormField label="Shop domain" constraintText="Optional: deliveries must come from it">
                  <Input
                    value={shopDomain}
                    onChange={({ detail }) => setShopDomain(detail.value)}
                    placeholder="example.myshopify.com"
                  />
                </FormField>
              )}
              {type === 'amazon' && (
                <>
                  <FormField label="Seller id">
                    <Input value={sellerId} onChange={({ detail }) => setSellerId(detail.value)} />
                  </FormField>
                  <FormField label="Marketplaces">
                    <Input
                      value={marketplaces}
                      onChange={({ detail }) => setMarketplaces(detail.value)}
                      placeholder="ATVPDKIKX0DER"
                    />
                  </FormField>
                </>
              )}
            </ColumnLayout>
            {type === 'amazon' && (
              <FormField
                label="SP-API connection"
                description="Login with Amazon credentials for stock, shipment confirmations and order details (stored encrypted, never shown again)."
                constraintText={
                  storedConnection?.hasAccessToken
                    ? 'Credentials are stored: leave them empty to keep them'
                    : 'Not connected: no credentials stored'
                }
                errorText={show(errors.lwa ?? errors.spEndpoint)}
              >
                <ColumnLayout columns={2}>
                  {(
                    [
                      ['lwaClientId', 'LWA client id', 'text'],
                      ['lwaClientSecret', 'LWA client secret', 'password'],
                      ['refreshToken', 'Refresh token', 'password'],
                    ] as const
                  ).map(([k, label, kind]) => (
                    <FormField key={k} label={label} stretch>
                      <Input
                        type={kind}
                        value={lwa[k]}
                        onChange={({ detail }) => setLwa((x) => ({ ...x, [k]: detail.value }))}
                        autoComplete={false}
                      />
                    </FormField>
                  ))}
                  <FormField
                    label="SP-API endpoint"
                    constraintText="Optional: defaults by the marketplace's region"
                    stretch
                  >
                    <Input
                      value={spEndpoint}
                      onChange={({ detail }) => setSpEndpoint(detail.value)}
                      placeholder="https://sellingpartnerapi-na.amazon.com"
                    />
                  </FormField>
                </ColumnLayout>
              </FormField>
            )}
            {error && <ApiErrorAlert error={error} what="save the channel" />}
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
}

function ListingForm() {
  const { notify } = useNotifications();
  const [channelId, setChannelId] = useState('');
  const [externalId, setExternalId] = useState('');
  const [sku, setSku] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const errors = {
    channelId: CODE_PATTERN.test(channelId) ? undefined : 'Required',
    externalId: /^[^\s#]+$/.test(externalId) ? undefined : 'No spaces or "#"',
    sku: CODE_PATTERN.test(sku) ? undefined : 'Required',
  };
  const show = (e: string | undefined) => (submitted ? e : undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.values(errors).some(Boolean)) return;
    setBusy(true);
    setError(null);
    try {
      const listing = await endpoints.putListing(channelId, externalId, sku);
      notify({
        type: listing.skuKnown ? 'success' : 'warning',
        header: `${channelId} ${externalId} now maps to ${sku}`,
        ...(listing.skuKnown
          ? {}
          : { content: `${sku} is not in the catalog yet; orders map through this listing once it is.` }),
      });
      setExternalId('');
      setSku('');
      setSubmitted(false);
    } catch (err) {
      setError(err as ApiError);
    }
    setBusy(false);
  };
  return (
    <form onSubmit={submit} data-testid="listing-form">
      <Form
        header={
          <Header
            variant="h2"
            description="Maps a channel's product or variant id to a SKU, so orders from that channel resolve."
          >
            Listing
          </Header>
        }
        actions={
          <Button variant="primary" formAction="submit" loading={busy}>
            Save listing
          </Button>
        }
      >
        <Container>
          <SpaceBetween size="m">
            <ColumnLayout columns={3}>
              <FormField label="Channel id" errorText={show(errors.channelId)}>
                <Input value={channelId} onChange={({ detail }) => setChannelId(detail.value.trim())} />
              </FormField>
              <FormField
                label="Channel's id"
                description="Variant id, SellerSKU or product id"
                errorText={show(errors.externalId)}
              >
                <Input value={externalId} onChange={({ detail }) => setExternalId(detail.value.trim())} />
              </FormField>
              <FormField label="SKU" errorText={show(errors.sku)}>
                <Input value={sku} onChange={({ detail }) => setSku(detail.value.trim())} />
              </FormField>
            </ColumnLayout>
            {error && <ApiErrorAlert error={error} what="save the listing" />}
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
}

const PUT_CHANNEL = 'PUT /api/channels/{channelId}';
const PUT_LISTING = 'PUT /api/channels/{channelId}/listings/{externalId}';
const GET_SYNC = 'GET /api/channels/{channelId}/sync';

export function ChannelsTab() {
  const user = useUser();
  return (
    <SpaceBetween size="l">
      <UndeclaredNotice routes={[PUT_CHANNEL, PUT_LISTING, 'GET /api/channels/{channelId}']} />
      {can(user.roles, PUT_CHANNEL) && <ChannelForm />}
      {can(user.roles, PUT_LISTING) && <ListingForm />}
      {can(user.roles, GET_SYNC) && <ChannelSync />}
    </SpaceBetween>
  );
}
