import { appendFileSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { LiveHub, type Follower, type FollowEvent, type LiveSettings } from '@/lib/live/hub';
import { FilesSource } from '@/lib/sources/files';
import { OPEN_SCOPE, type Scope } from '@/lib/sources/types';
import { parseMessageLine } from '@/lib/tlog';
import { fixtureLines } from '../support/fixtures';

// Live follow over the files source and a file that grows as tlog-rec's
// file writer appends to it: one poll per recording for all its followers,
// order and gaps, scope and session on every poll, caps, and the end.

const SETTINGS: LiveSettings = {
  pollMs: 30,
  gapWaitMs: 300,
  idleMs: 2000,
  endMs: 4000,
  heartbeatMs: 15_000,
  maxStreams: 5,
  maxPerUser: 3,
};

const LINES = fixtureLines('colors');
const REC = JSON.parse(LINES[0] ?? '{}').rec as string;
const byId = (id: number) => `${LINES[id - 1]}\n`;

let hubs: LiveHub[] = [];
afterEach(() => {
  for (const hub of hubs) hub.stopAll();
  hubs = [];
});

function setup(first: number[], settings: Partial<LiveSettings> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'auditty-live-'));
  const file = path.join(dir, 'session.log');
  writeFileSync(file, first.map(byId).join(''));
  const source = new FilesSource(dir, { rescanMs: 0 });
  const hub = new LiveHub(source, { ...SETTINGS, ...settings });
  hubs.push(hub);
  const append = (...ids: number[]) => appendFileSync(file, ids.map(byId).join(''));
  return { dir, file, source, hub, append };
}

const open = async (): Promise<Scope | null> => OPEN_SCOPE;

function follow(
  hub: LiveHub,
  afterId: number,
  extra: Partial<Parameters<LiveHub['follow']>[0]> = {},
) {
  return hub.follow({
    recordingId: REC,
    who: 'alice',
    afterId,
    lastKnownId: afterId,
    missing: [],
    lastEventMs: Date.now(),
    authorize: open,
    ...extra,
  });
}

/** Reads a follower's events until `done` says enough (or it ends), with a deadline. */
async function collect(
  follower: Follower,
  done: (ids: number[], events: FollowEvent[]) => boolean,
  timeoutMs = 5000,
): Promise<{ ids: number[]; events: FollowEvent[] }> {
  const events: FollowEvent[] = [];
  const ids = () => events.flatMap((e) => (e.kind === 'message' ? [parseId(e.message.line)] : []));
  const deadline = Date.now() + timeoutMs;
  while (!done(ids(), events)) {
    if (Date.now() > deadline) throw new Error(`timed out with ids ${ids().join(',')}`);
    const next = await Promise.race([
      follower.next(),
      new Promise<FollowEvent[]>((r) => setTimeout(() => r([]), 100)),
    ]);
    events.push(...next);
    if (follower.closed && next.length === 0) break;
  }
  return { ids: ids(), events };
}

const parseId = (line: string) => {
  const parsed = parseMessageLine(line);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value.id;
};
const count = (n: number) => (ids: number[]) => ids.length >= n;

describe('live follow hub (files source)', () => {
  it('gives every follower what is appended, in order, with one poll for all of them', async () => {
    const { hub, append } = setup([1, 2, 3]);
    const a = follow(hub, 3);
    const b = follow(hub, 3, { who: 'bob' });
    const c = follow(hub, 1, { who: 'carol' });
    expect(hub.polling).toBe(1);
    expect(hub.open).toBe(3);
    append(4, 5);
    append(6);
    expect((await collect(a, count(3))).ids).toEqual([4, 5, 6]);
    expect((await collect(b, count(3))).ids).toEqual([4, 5, 6]);
    // Joined behind the edge: it gets what it lacked first.
    expect((await collect(c, count(5))).ids).toEqual([2, 3, 4, 5, 6]);
    for (const f of [a, b, c]) f.close();
    expect(hub.open).toBe(0);
    expect(hub.polling).toBe(0);
  });

  it('resumes after the last id received: nothing lost, nothing twice', async () => {
    const { hub, append } = setup([1, 2]);
    const first = follow(hub, 2);
    append(3, 4, 5);
    const before = await collect(first, count(3));
    first.close();
    append(6, 7);
    const again = follow(hub, before.ids.at(-1) ?? 0);
    append(8);
    const after = await collect(again, count(3));
    expect([...before.ids, ...after.ids]).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it('waits for a missing message, shows the gap, and delivers it late', async () => {
    const { hub, append } = setup([1, 2]);
    const f = follow(hub, 2);
    append(4, 5);
    const started = Date.now();
    const skipped = await collect(f, count(2));
    expect(skipped.ids).toEqual([4, 5]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SETTINGS.gapWaitMs - 50);
    append(3);
    expect((await collect(f, count(1))).ids).toEqual([3]);
  });

  it('follows a rotated file: the new file at the path is read from its start', async () => {
    const { hub, file, append } = setup([1, 2, 3]);
    const f = follow(hub, 3);
    append(4);
    expect((await collect(f, count(1))).ids).toEqual([4]);
    renameSync(file, `${file}.1`);
    writeFileSync(file, byId(5) + byId(6));
    expect((await collect(f, count(2))).ids).toEqual([5, 6]);
  });

  it('applies the scope as checked on each poll, and ends when the session no longer counts', async () => {
    const { hub, append } = setup([1]);
    let scope: Scope | null = OPEN_SCOPE;
    const f = follow(hub, 1, { authorize: async () => scope });
    append(2);
    expect((await collect(f, count(1))).ids).toEqual([2]);
    scope = { hosts: ['no-such-host'], users: ['*'] };
    append(3);
    await new Promise((r) => setTimeout(r, 300));
    scope = null;
    const end = await collect(f, (_, events) => events.some((e) => e.kind === 'end'));
    expect(end.ids).toEqual([]);
    expect(end.events.at(-1)).toMatchObject({ kind: 'end', reason: 'session' });
    expect(hub.open).toBe(0);
  });

  it('refuses past the caps with a message that names them', () => {
    const { hub } = setup([1]);
    for (let i = 0; i < 3; i++) follow(hub, 1);
    const refusal = (() => {
      try {
        follow(hub, 1);
      } catch (err) {
        return err;
      }
    })();
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe('too_many_streams');
    expect((refusal as AppError).message).toContain('LIVE_MAX_PER_USER');
    follow(hub, 1, { who: 'bob' });
    follow(hub, 1, { who: 'carol' });
    expect(() => follow(hub, 1, { who: 'dave' })).toThrow(/LIVE_MAX_STREAMS/);
    expect(hub.open).toBe(5);
  });

  it('says idle, then ended, and then stops polling', async () => {
    const { hub, append } = setup([1], { idleMs: 200, endMs: 600 });
    const f = follow(hub, 1, { lastEventMs: Date.now() });
    append(2);
    const seen = await collect(f, (_, events) => events.some((e) => e.kind === 'end'), 5000);
    const states = seen.events.flatMap((e) => (e.kind === 'status' ? [e.status.state] : []));
    expect(seen.ids).toEqual([2]);
    expect(states).toContain('live');
    expect(states).toContain('idle');
    expect(seen.events.at(-1)).toMatchObject({ kind: 'end', reason: 'ended' });
    expect(hub.polling).toBe(0);
    expect(hub.open).toBe(0);
  });

  it('cuts off a reader that does not read (it reconnects after its last id)', async () => {
    const big = JSON.parse(LINES[0] ?? '{}');
    const { hub, file } = setup([1]);
    const f = follow(hub, 1);
    // 100 messages of 100 KB: more than a reader may leave waiting.
    const lines = Array.from({ length: 100 }, (_, i) =>
      JSON.stringify({ ...big, id: i + 2, out_txt: 'x'.repeat(100_000), timing: '>100000' }),
    );
    appendFileSync(file, `${lines.join('\n')}\n`);
    await new Promise((r) => setTimeout(r, 500));
    expect(f.closed).toBe(true);
    const events = await f.next();
    expect(events.at(-1)).toMatchObject({ kind: 'end', reason: 'slow' });
  });

  it("starts a feed at the source's edge, not at what its first reader claims", async () => {
    const { hub, append } = setup([1, 2, 3]);
    const liar = follow(hub, 999_999, { lastKnownId: 3 });
    const honest = follow(hub, 3, { who: 'bob', lastKnownId: 3 });
    append(4);
    expect((await collect(honest, count(1))).ids).toEqual([4]);
    liar.close();
  });

  it('gives a joiner behind the edge only what its scope allows, from the ring too', async () => {
    const { hub, append } = setup([1]);
    const ahead = follow(hub, 1);
    append(2, 3);
    expect((await collect(ahead, count(2))).ids).toEqual([2, 3]);
    const outside = follow(hub, 1, {
      who: 'eve',
      authorize: async () => ({ hosts: ['db-*'], users: ['*'] }),
    });
    const inside = follow(hub, 1, { who: 'bob' });
    expect((await collect(inside, count(2))).ids).toEqual([2, 3]);
    const none = await collect(outside, (_, events) => events.some((e) => e.kind === 'status'));
    expect(none.ids).toEqual([]);
  });

  it('applies only the instance cap under open access (no users to tell apart)', () => {
    const { hub } = setup([1]);
    for (let i = 0; i < 5; i++) follow(hub, 1, { who: '' });
    expect(() => follow(hub, 1, { who: '' })).toThrow(/LIVE_MAX_STREAMS/);
  });
});
