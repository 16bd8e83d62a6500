import 'server-only';
import { ElasticsearchAuditSink } from '@/lib/audit/elasticsearch';
import { env } from '@/lib/env';
import { createClient } from '@/lib/sources/elasticsearch';
import { accessSettings } from './config';
import { FileRevocations } from './revocation-file';

// Server-side revocation of sessions, shared by every auditty instance with
// nothing new to configure: revocations are audit events (a sign-out, or an
// admin's `auditty session revoke`) in the audit sink that sign-in always
// has. Each identity has a "not before" time, its latest such event: its
// sessions issued before it no longer count. A sign-out thus ends every
// session of that person (sign out everywhere), a copied cookie included.
//
// - Elasticsearch (AUDIT_INDEX): one query per identity for its latest
//   revocation, cached CACHE_MS. Revocations are written with
//   refresh=wait_for, so once one is written, other instances see it within
//   CACHE_MS; this instance sees its own at once.
// - Files (AUDIT_LOG_FILE): revocation-file.ts, the file read incrementally
//   on every check, so every instance sees a revocation as soon as it is
//   appended.
// Either way a store that cannot answer throws, and the request is refused.
// Times are the clocks of the instances: keep them in sync (NTP).

export interface RevocationStore {
  /**
   * The identity's sessions issued before this time (ms since the epoch) no
   * longer count; 0 for none. Throws when it cannot tell.
   */
  notBefore(id: string): Promise<number>;
  /** A revocation this instance has just made: it counts here at once. */
  revoked(id: string, atMs: number): void;
}

/** How long an Elasticsearch answer is reused: the bound on seeing another instance's revocation. */
export const CACHE_MS = 5_000;
/** Identities cached (and local revocations kept) at once: a few MB at most. */
export const MAX_CACHED = 10_000;
/** Revocations older than the session lifetime plus this are dropped (files). */
const RETAIN_MARGIN_MS = 5 * 60_000;

export interface CacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/** Inserts as the newest entry, dropping the oldest past `max`. */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as string);
}

/** A lookup of the latest revocation (Elasticsearch's), cached per identity. */
export class CachedRevocations implements RevocationStore {
  private readonly cache = new Map<string, { notBefore: number; at: number }>();
  private readonly pending = new Map<string, Promise<number>>();
  private readonly local = new Map<string, number>();
  /** Lookups made, for tests. */
  lookups = 0;

  constructor(
    private readonly lookup: (id: string) => Promise<number | null>,
    private readonly options: CacheOptions = {},
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async notBefore(id: string): Promise<number> {
    const now = this.now();
    const hit = this.cache.get(id);
    const found =
      hit && now - hit.at < (this.options.ttlMs ?? CACHE_MS)
        ? hit.notBefore
        : await this.ask(id, now);
    return Math.max(found, this.local.get(id) ?? 0);
  }

  private ask(id: string, startedAt: number): Promise<number> {
    let pending = this.pending.get(id);
    if (!pending) {
      this.lookups += 1;
      pending = this.lookup(id)
        .then((found) => {
          const notBefore = found ?? 0;
          // Stamped with when the question was asked: the answer is at least that old.
          remember(this.cache, id, { notBefore, at: startedAt }, this.max);
          return notBefore;
        })
        .finally(() => this.pending.delete(id));
      this.pending.set(id, pending);
    }
    return pending;
  }

  private get max(): number {
    return this.options.maxEntries ?? MAX_CACHED;
  }

  revoked(id: string, atMs: number): void {
    remember(this.local, id, Math.max(this.local.get(id) ?? 0, atMs), this.max);
  }
}

const STORE_KEY = '__audittyRevocations';

/**
 * The store of this process, for its audit sink; null without one (open
 * access: no sessions). One per process on globalThis: proxy.ts and the
 * route handlers are bundled apart, and a sign-out in one must count in the
 * other at once.
 */
export function revocationStore(): RevocationStore | null {
  const settings = accessSettings();
  const target = settings.audit;
  if (!target) return null;
  const key = target.kind === 'file' ? `file ${target.file}` : `index ${target.index}`;
  const slot = globalThis as unknown as Record<
    string,
    { key: string; store: RevocationStore } | undefined
  >;
  const existing = slot[STORE_KEY];
  if (existing?.key === key) return existing.store;
  let store: RevocationStore;
  if (target.kind === 'file') {
    store = new FileRevocations(target.file, {
      retainMs: settings.sessionSeconds * 1000 + RETAIN_MARGIN_MS,
    });
  } else {
    const sink = new ElasticsearchAuditSink(createClient(env()), target.index);
    store = new CachedRevocations((id) => sink.latestRevocation(id));
  }
  slot[STORE_KEY] = { key, store };
  return store;
}
