'use client';

import { RouteError, type RouteErrorProps } from '@/components/route-error';

export default function ErrorPage(props: RouteErrorProps) {
  return <RouteError {...props} exit={{ href: '/', label: 'All recordings' }} />;
}
