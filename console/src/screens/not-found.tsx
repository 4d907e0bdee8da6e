import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import { usePage } from '../app/chrome.tsx';
import { RouterLink } from '../components/links.tsx';
import { EmptyState } from '../components/states.tsx';

export default function NotFound() {
  usePage('Not found');
  return (
    <ContentLayout header={<Header variant="h1">Page not found</Header>}>
      <Container>
        <EmptyState
          title="There is nothing at this address"
          subtitle="The link may be old, or mistyped."
          action={<RouterLink href="/">Go to the overview</RouterLink>}
        />
      </Container>
    </ContentLayout>
  );
}
