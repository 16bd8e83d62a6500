import 'server-only';
import { OPEN_SCOPE, type Scope } from '@/lib/sources/types';

/**
 * The scope of the caller. Until sign-in exists (issue 9) auditty serves
 * loopback only, with open access: the all-hosts, all-users scope.
 */
export async function callerScope(): Promise<Scope> {
  return OPEN_SCOPE;
}
