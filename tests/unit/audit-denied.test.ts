import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeniedRecorder } from '@/lib/audit/denied-recorder';
import {
  ALL_ADDRESSES,
  DeniedLimiter,
  MAX_ADDRESSES,
  PER_ADDRESS,
  type DeniedSummary,
} from '@/lib/audit/denied';
import { auditEventSchema, buildEvent, type AuditEvent, type EventInput } from '@/lib/audit/event';

function clock(start = Date.parse('2026-03-01T12:00:00.000Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const denied = (address: string, url = '/api/recordings'): EventInput => ({
  action: 'access-denied',
  outcome: 'failure',
  reason: 'no session',
  user: null,
  auth: 'anonymous',
  address,
  url,
});

/** A recorder whose writes are built as the sink would build them, and kept. */
function recorder(c = clock()) {
  const written: AuditEvent[] = [];
  const timers: Array<() => void> = [];
  const r = new DeniedRecorder({
    now: c.now,
    write: async (input) => {
      written.push(buildEvent(input));
    },
    schedule: (run) => timers.push(run),
  });
  return { r, c, written, timers };
}

const counted = (events: AuditEvent[]) =>
  events.reduce((sum, e) => sum + (e.auditty.count ?? 1), 0);

describe('denied requests, per address', () => {
  it('write at most the limit of a burst of 10,000, then one summary with the exact count', async () => {
    const { r, c, written, timers } = recorder();
    const first = c.now();
    for (let i = 0; i < 10_000; i++) {
      await r.record(denied('203.0.113.7', `/api/x?${i}`));
      if (i % 100 === 99) c.advance(1); // the burst takes 100 ms
    }
    expect(written).toHaveLength(PER_ADDRESS.limit);
    expect(written.map((e) => e.url.original)).toEqual(
      Array.from({ length: 10 }, (_, i) => `/api/x?${i}`),
    );
    // Silence after the burst: the timer writes the summary once the window has closed.
    expect(timers).toHaveLength(1);
    c.advance(PER_ADDRESS.windowMs);
    timers.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toHaveLength(PER_ADDRESS.limit + 1);
    const summary = written.at(-1)!;
    expect(summary.auditty.count).toBe(9_990);
    expect(summary.event).toMatchObject({
      action: 'access-denied',
      outcome: 'failure',
      reason: `9990 more denied requests from 203.0.113.7 since ${new Date(first).toISOString()}`,
      start: new Date(first).toISOString(),
      end: new Date(first + 99).toISOString(),
    });
    expect(summary.source).toEqual({ address: '203.0.113.7', ip: '203.0.113.7' });
    expect(auditEventSchema.parse(summary)).toEqual(summary);
    expect(counted(written)).toBe(10_000);
    expect(r.limiter.pending).toBe(false);
  });

  it('write the summary on the next request once the window has closed, and log the address again', async () => {
    const { r, c, written } = recorder();
    for (let i = 0; i < 25; i++) await r.record(denied('198.51.100.1'));
    expect(written).toHaveLength(10);
    c.advance(PER_ADDRESS.windowMs - 1);
    expect(await r.record(denied('198.51.100.1'))).toBe(false); // still the same window
    c.advance(1);
    for (let i = 0; i < 12; i++) await r.record(denied('198.51.100.1'));
    // The summary of the first window comes before the new window's events.
    expect(written[10]?.auditty.count).toBe(16);
    expect(written.slice(11)).toHaveLength(10);
    expect(written.slice(11).every((e) => e.auditty.count === undefined)).toBe(true);
    c.advance(PER_ADDRESS.windowMs);
    await r.flush();
    expect(written.at(-1)?.auditty.count).toBe(2);
    expect(counted(written)).toBe(25 + 1 + 12);
  });

  it('count each address apart', () => {
    const l = new DeniedLimiter(clock().now);
    for (let i = 0; i < 10; i++) expect(l.admit('access-denied', 'a').write).toBe(true);
    expect(l.admit('access-denied', 'a').write).toBe(false);
    expect(l.admit('access-denied', 'b').write).toBe(true);
    expect(l.admit('sign-in', 'a').write).toBe(true);
  });
});

describe('denied requests, all addresses', () => {
  it('write at most the total budget in a window however many addresses there are', async () => {
    const { r, c, written } = recorder();
    for (let i = 0; i < 1000; i++)
      for (let j = 0; j < 3; j++) await r.record(denied(`10.0.${i >> 8}.${i & 255}`));
    expect(written).toHaveLength(ALL_ADDRESSES.limit);
    c.advance(PER_ADDRESS.windowMs);
    await r.flush();
    // The next window: its budget, then one overflow summary for what did not fit.
    expect(written.length).toBeLessThanOrEqual(2 * ALL_ADDRESSES.limit + 1);
    c.advance(ALL_ADDRESSES.windowMs);
    await r.flush();
    expect(counted(written)).toBe(3000);
    expect(written.length).toBeLessThanOrEqual(2 * ALL_ADDRESSES.limit + 2);
    const overflow = written.filter((e) => e.source.address === 'many addresses');
    expect(overflow.length).toBeGreaterThan(0);
    expect(overflow[0]?.event.reason).toMatch(/^\d+ more denied requests from other addresses/);
    expect(r.limiter.pending).toBe(false);
  });

  it('keep memory bounded under many distinct addresses, and lose no count', () => {
    const c = clock();
    const l = new DeniedLimiter(c.now);
    const summaries: DeniedSummary[] = [];
    let writes = 0;
    const total = 5 * MAX_ADDRESSES;
    for (let i = 0; i < total; i++) {
      const a = l.admit('access-denied', `2001:db8::${i.toString(16)}`);
      if (a.write) writes += 1;
      summaries.push(...a.summaries);
      expect(l.size).toBeLessThanOrEqual(MAX_ADDRESSES);
    }
    c.advance(PER_ADDRESS.windowMs);
    summaries.push(...l.due());
    c.advance(ALL_ADDRESSES.windowMs);
    summaries.push(...l.due());
    expect(l.size).toBe(0);
    expect(writes).toBe(ALL_ADDRESSES.limit);
    expect(writes + summaries.reduce((sum, s) => sum + s.count, 0)).toBe(total);
    // Each window: its budget of per-address summaries, and one for all the rest.
    expect(summaries.filter((s) => s.address !== null)).toHaveLength(ALL_ADDRESSES.limit);
    expect(summaries.filter((s) => s.address === null)).toHaveLength(2);
  });
});

describe('recordDenied (what proxy.ts calls)', () => {
  let dir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'auditty-denied-'));
    Object.assign(process.env, { ES_URL: '', AUDIT_LOG_FILE: path.join(dir, 'audit.jsonl') });
  });
  afterAll(async () => {
    process.env = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the first few of a flood to the file, each bounded', async () => {
    const { recordDenied } = await import('@/lib/audit');
    const headers = new Headers({
      'x-auditty-ip': '192.0.2.9',
      'x-auditty-url': `/api/recordings?q=${'a'.repeat(7980)}`,
    });
    for (let i = 0; i < 2000; i++) await recordDenied('no session', headers);
    const lines = (await readFile(path.join(dir, 'audit.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(PER_ADDRESS.limit);
    for (const line of lines) {
      const e = auditEventSchema.parse(JSON.parse(line));
      expect(e.event).toMatchObject({ action: 'access-denied', reason: 'no session' });
      expect(e.url.original).toHaveLength(2048);
    }
  });
});
