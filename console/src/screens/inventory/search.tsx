import Badge from '@cloudscape-design/components/badge';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import type { Page, Sku } from '../../api/types.ts';
import { can, isDeclared } from '../../app/access.ts';
import { usePage } from '../../app/chrome.tsx';
import { CODE_PATTERN } from '../../app/ids.ts';
import { useUser } from '../../app/session.tsx';
import { useCursorList } from '../../app/use-resource.ts';
import { RouterLink } from '../../components/links.tsx';
import { ApiErrorAlert, EmptyState, NotAvailable } from '../../components/states.tsx';
import { StockBrowse } from './browse.tsx';
import { LocationsList } from './locations.tsx';
import { Mismatches } from './mismatches.tsx';

type MatchedBy = 'barcode' | 'code' | 'name';
type Hit = Sku & { matchedBy: MatchedBy };

const SEARCH = 'GET /api/skus';

interface SearchPage extends Page<Hit> {
  /** False while the API has no `GET /api/skus` (only exact SKU codes can be found). */
  searchAvailable: boolean;
}

const notFoundIsEmpty = (error: unknown) => {
  if (error instanceof ApiError && error.status === 404 && !error.notAvailable) return undefined;
  throw error;
};

/**
 * One search box for scanners and people: a barcode, a SKU code or words from the name. Barcode
 * and name go to `GET /api/skus?barcode=|q=` when the manifest declares it; an exact SKU code is
 * also tried directly (`GET /api/skus/{sku}`), which works even without the search route.
 */
async function searchPage(
  term: string,
  cursor: string | undefined,
  signal: AbortSignal,
): Promise<SearchPage> {
  const unavailable = (error: unknown): Page<Sku> | null => {
    if (error instanceof ApiError && error.notAvailable) return null;
    throw error;
  };
  const searchable = isDeclared(SEARCH);
  const [exact, byBarcode, byText] = await Promise.all([
    !cursor && CODE_PATTERN.test(term) && term.length <= 64
      ? endpoints.getSku(term, signal).catch(notFoundIsEmpty)
      : undefined,
    !searchable
      ? null
      : cursor
        ? { items: [] }
        : endpoints.searchSkus({ barcode: term }, signal).catch(unavailable),
    !searchable
      ? null
      : endpoints
          .searchSkus({ q: term, limit: 25, ...(cursor ? { cursor } : {}) }, signal)
          .catch(unavailable),
  ]);
  const hits = new Map<string, Hit>();
  for (const s of byBarcode?.items ?? []) hits.set(s.sku, { ...s, matchedBy: 'barcode' });
  if (exact && !hits.has(exact.sku)) hits.set(exact.sku, { ...exact, matchedBy: 'code' });
  for (const s of byText?.items ?? []) if (!hits.has(s.sku)) hits.set(s.sku, { ...s, matchedBy: 'name' });
  return {
    items: [...hits.values()],
    ...(byText?.nextCursor ? { nextCursor: byText.nextCursor } : {}),
    searchAvailable: byBarcode !== null && byText !== null,
  };
}

const MATCH_LABEL: Record<MatchedBy, string> = { barcode: 'Barcode', code: 'SKU code', name: 'Name' };

export default function InventorySearch() {
  usePage('Inventory', [{ text: 'Inventory', href: '/inventory' }]);
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const term = params.get('q')?.trim() ?? '';
  const tab = params.get('tab');
  const user = useUser();
  const showMismatches = can(user.roles, 'GET /api/events') || can(user.roles, 'POST /api/inventory/checks');
  const canBrowse = can(user.roles, 'GET /api/inventory');
  const canListLocations = can(user.roles, 'GET /api/locations');
  const [draft, setDraft] = useState(term);
  useEffect(() => setDraft(term), [term]);

  const list = useCursorList<Hit>(term ? `skus:${term}` : null, (cursor, signal) =>
    searchPage(term, cursor, signal),
  );
  const page = list.data as SearchPage | undefined;

  // A scan that identifies exactly one SKU opens it: the scanner flow needs no extra tap.
  const only = page?.items.length === 1 && list.pagination.currentPageIndex === 1 ? page.items[0] : undefined;
  useEffect(() => {
    if (only && (only.matchedBy === 'barcode' || only.matchedBy === 'code') && !page?.nextCursor) {
      navigate(`/inventory/${encodeURIComponent(only.sku)}`, { replace: true });
    }
  }, [only, page?.nextCursor, navigate]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = draft.trim();
    setParams(q ? { q } : {});
  };

  return (
    <ContentLayout
      header={
        <Header variant="h1" description="Scan a barcode, or type a SKU code or words from the product name.">
          Inventory
        </Header>
      }
    >
      <Tabs
        activeTabId={
          (showMismatches && tab === 'mismatches') ||
          (canBrowse && tab === 'browse') ||
          (canListLocations && tab === 'locations')
            ? (tab as string)
            : 'find'
        }
        onChange={({ detail }) => setParams(detail.activeTabId === 'find' ? {} : { tab: detail.activeTabId })}
        tabs={[
          {
            id: 'find',
            label: 'Find a SKU',
            content: (
              <SpaceBetween size="l">
                <Container>
                  <form onSubmit={submit} aria-label="Find a SKU">
                    <div className="qm-search-row">
                      <div className="qm-search-input">
                        <Input
                          type="search"
                          value={draft}
                          onChange={({ detail }) => setDraft(detail.value)}
                          placeholder="Barcode, SKU or name"
                          ariaLabel="Barcode, SKU or name"
                          autoFocus
                          autoComplete={false}
                          spellcheck={false}
                          data-testid="sku-search"
                        />
                      </div>
                      <Button
                        variant="primary"
                        formAction="submit"
                        iconName="search"
                        data-testid="sku-search-submit"
                      >
                        Find
                      </Button>
                    </div>
                  </form>
                </Container>

                {page && !page.searchAvailable && (
                  <div data-testid="search-limited">
                    <NotAvailable route={SEARCH}>
                      <span>Until barcode and name search is served, only exact SKU codes are found.</span>
                    </NotAvailable>
                  </div>
                )}

                {term && (
                  <Table<Hit>
                    data-testid="sku-results"
                    variant="container"
                    loading={list.loading}
                    loadingText="Searching"
                    items={list.items}
                    trackBy="sku"
                    header={
                      <Header
                        counter={page ? `(${page.items.length}${page.nextCursor ? '+' : ''})` : undefined}
                      >
                        Results for “{term}”
                      </Header>
                    }
                    pagination={<Pagination {...list.pagination} />}
                    empty={
                      list.error ? (
                        <ApiErrorAlert error={list.error} onRetry={list.reload} what="search the catalog" />
                      ) : (
                        <EmptyState
                          title="No SKU found"
                          subtitle={`Nothing matches “${term}”. Check the barcode or try part of the name.`}
                        />
                      )
                    }
                    columnDefinitions={[
                      {
                        id: 'sku',
                        header: 'SKU',
                        cell: (s) => (
                          <RouterLink href={`/inventory/${encodeURIComponent(s.sku)}`}>{s.sku}</RouterLink>
                        ),
                        isRowHeader: true,
                      },
                      { id: 'name', header: 'Name', cell: (s) => s.name },
                      {
                        id: 'barcodes',
                        header: 'Barcodes',
                        cell: (s) => (s.barcodes?.length ? s.barcodes.join(', ') : '—'),
                      },
                      {
                        id: 'kit',
                        header: 'Type',
                        cell: (s) => (s.kit ? <Badge color="blue">Kit</Badge> : 'Item'),
                      },
                      { id: 'matched', header: 'Matched by', cell: (s) => MATCH_LABEL[s.matchedBy] },
                    ]}
                  />
                )}
              </SpaceBetween>
            ),
          },
          ...(canBrowse ? [{ id: 'browse', label: 'Browse stock', content: <StockBrowse /> }] : []),
          ...(canListLocations ? [{ id: 'locations', label: 'Locations', content: <LocationsList /> }] : []),
          ...(showMismatches ? [{ id: 'mismatches', label: 'Mismatches', content: <Mismatches /> }] : []),
        ]}
      />
    </ContentLayout>
  );
}
