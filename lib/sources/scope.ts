import type { Scope } from './types';

// Scope patterns are globs: `*` any run of characters, `?` one character.

export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

function matchesAny(patterns: string[], value: string): boolean {
  return patterns.some((pattern) => globToRegExp(pattern).test(value));
}

export function inScope(scope: Scope, host: string, user: string): boolean {
  return matchesAny(scope.hosts, host) && matchesAny(scope.users, user);
}

export function isUnrestricted(patterns: string[]): boolean {
  return patterns.includes('*');
}
