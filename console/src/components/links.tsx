import Button, { type ButtonProps } from '@cloudscape-design/components/button';
import Link, { type LinkProps } from '@cloudscape-design/components/link';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';

type FollowDetail = { href?: string; external?: boolean };
type FollowHandler = (event: CustomEvent<FollowDetail>) => void;

/** Cloudscape links and buttons follow hrefs through the router: no full page loads inside the app. */
export function useFollow(): FollowHandler {
  const navigate = useNavigate();
  return (event) => {
    const { href, external } = event.detail;
    if (!href || external) return;
    event.preventDefault();
    navigate(href);
  };
}

export function RouterLink(props: Omit<LinkProps, 'onFollow'> & { href: string; children: ReactNode }) {
  const follow = useFollow();
  return <Link {...props} onFollow={follow} />;
}

export function RouterButton(props: Omit<ButtonProps, 'onFollow'> & { href: string; children?: ReactNode }) {
  const follow = useFollow();
  return <Button {...props} onFollow={follow} />;
}
