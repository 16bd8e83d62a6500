'use client';

import { RouteError, type RouteErrorProps } from '@/components/route-error';

export default function AccessLogError(props: RouteErrorProps) {
  return (
    <RouteError
      {...props}
      title="The access log could not be shown"
      serverMessage="The server log has the details"
    />
  );
}
