import type { Scope } from '@/lib/sources/types';

// A caller with several roles sees the union of what each role allows. A
// Scope is one (hosts x users) rectangle, and the union of two rectangles is
// not always one: {db-*} x {*} plus {vm} x {root} would, as a single Scope
// {db-*, vm} x {*, root}, let the caller see every user on vm. So roles are
// merged only where the result is exact: a role inside another is dropped,
// and roles with the same users (or the same hosts) join their other list.
// When more than one rectangle remains, the caller gets nothing (fail
// closed) and the reason says which roles do not combine.

export type MergeResult = { ok: true; scope: Scope } | { ok: false; reason: string };

const NOTHING: Scope = { hosts: [], users: [] };

function covers(outer: string[], inner: string[]): boolean {
  return outer.includes('*') || inner.every((p) => outer.includes(p));
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && covers(a, b) && covers(b, a);
}

function union(a: string[], b: string[]): string[] {
  if (a.includes('*') || b.includes('*')) return ['*'];
  return [...new Set([...a, ...b])].sort();
}

const isEmpty = (s: Scope) => s.hosts.length === 0 || s.users.length === 0;

export function mergeScopes(named: { name: string; scope: Scope }[]): MergeResult {
  let parts = named
    .filter((n) => !isEmpty(n.scope))
    .map((n) => ({ names: [n.name], scope: n.scope }));
  let changed = true;
  while (changed && parts.length > 1) {
    changed = false;
    outer: for (let i = 0; i < parts.length; i++) {
      for (let j = 0; j < parts.length; j++) {
        const a = parts[i];
        const b = parts[j];
        if (i === j || !a || !b) continue;
        let merged: Scope | null = null;
        if (covers(a.scope.hosts, b.scope.hosts) && covers(a.scope.users, b.scope.users))
          merged = a.scope;
        else if (same(a.scope.users, b.scope.users))
          merged = { hosts: union(a.scope.hosts, b.scope.hosts), users: a.scope.users };
        else if (same(a.scope.hosts, b.scope.hosts))
          merged = { hosts: a.scope.hosts, users: union(a.scope.users, b.scope.users) };
        if (merged) {
          parts = parts.filter((_, k) => k !== i && k !== j);
          parts.push({ names: [...a.names, ...b.names], scope: merged });
          changed = true;
          break outer;
        }
      }
    }
  }
  if (parts.length === 0) return { ok: true, scope: NOTHING };
  if (parts.length === 1 && parts[0]) return { ok: true, scope: parts[0].scope };
  const groups = parts.map((p) => p.names.join('+')).join(', ');
  return {
    ok: false,
    reason: `roles ${groups} cover different hosts for different users and cannot be combined into one scope`,
  };
}
