'use client';

import { RouteError, type RouteErrorProps } from '@/components/route-error';

export default function ErrorPage(props: RouteErrorProps) {
  return (
    <RouteError
      {...props}
      hint="The filters are still in the address bar: trying again keeps them."
      exit={{ href: '/', label: 'All recordings, no filters' }}
    />
  );
}
