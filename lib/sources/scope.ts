import { isUnrestricted, matchesAny } from './glob';
import type { Scope } from './types';

// Scope patterns are globs, defined once for both sources in glob.ts: the
// files source matches them here, Elasticsearch in the queries built by
// elasticsearch/queries.ts, with the same meaning.

export function inScope(scope: Scope, host: string, user: string): boolean {
  return matchesAny(scope.hosts, host) && matchesAny(scope.users, user);
}

export { isUnrestricted };
