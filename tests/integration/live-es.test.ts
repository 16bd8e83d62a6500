import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveHub, type Follower, type FollowEvent } from '@/lib/live/hub';
import { ElasticsearchSource } from '@/lib/sources/elasticsearch';
import { OPEN_SCOPE, type Scope } from '@/lib/sources/types';
import { fixtureLines } from '../support/fixtures';
import { testClient } from '../support/es';

// Live follow on a real cluster (every leg of npm test): the poll's query
// (search_after on id above the edge, plus the ids still missing), messages
// indexed out of order, a late one, a follower far behind reading in its own
// scope, and the rsyslog duplicate. tlog's own messages, indexed as rsyslog
// indexes them, with a refresh so that each is searchable at once.

const client = testClient();
const index = `tlog-live-it-${Date.now()}`;
const source = new ElasticsearchSource(client, index);
const hub = new LiveHub(source, {
  pollMs: 100,
  gapWaitMs: 500,
  idleMs: 60_000,
  endMs: 120_000,
  heartbeatMs: 15_000,
  maxStreams: 10,
  maxPerUser: 10,
});
const LINES = fixtureLines('colors');
const REC = JSON.parse(LINES[0] ?? '{}').rec as string;

async function put(...ids: number[]) {
  await client.bulk({
    refresh: true,
    operations: ids.flatMap((id) => [{ index: { _index: index } }, JSON.parse(LINES[id - 1]!)]),
  });
}

function follow(afterId: number, scope: Scope = OPEN_SCOPE): Follower {
  return hub.follow({
    recordingId: REC,
    who: 'it',
    afterId,
    lastKnownId: afterId,
    missing: [],
    lastEventMs: Date.now(),
    authorize: async () => scope,
  });
}

async function collect(follower: Follower, n: number, ms = 10_000): Promise<number[]> {
  const events: FollowEvent[] = [];
  const ids = () => events.flatMap((e) => (e.kind === 'message' ? [e.message.id] : []));
  const deadline = Date.now() + ms;
  while (ids().length < n) {
    if (Date.now() > deadline) throw new Error(`timed out with ${ids().join(',')}`);
    events.push(
      ...(await Promise.race([
        follower.next(),
        new Promise<FollowEvent[]>((r) => setTimeout(() => r([]), 100)),
      ])),
    );
  }
  return ids();
}

beforeAll(async () => {
  await put(1, 2, 3);
});

afterAll(async () => {
  hub.stopAll();
  await client.indices.delete({ index, ignore_unavailable: true });
});

describe('live follow on the cluster', () => {
  it('delivers in id order what was indexed out of order, and a late one after its gap', async () => {
    const f = follow(3);
    await put(5);
    await new Promise((r) => setTimeout(r, 200));
    await put(4, 5); // 5 again: rsyslog retried
    expect(await collect(f, 2)).toEqual([4, 5]);
    await put(7);
    expect(await collect(f, 1)).toEqual([7]);
    await put(6);
    expect(await collect(f, 1)).toEqual([6]);
    f.close();
    expect(hub.polling).toBe(0);
  });

  it('lets a follower far behind read what it lacks in its own scope', async () => {
    const ahead = follow(7);
    await put(8);
    expect(await collect(ahead, 1)).toEqual([8]);
    const behind = follow(0);
    expect(await collect(behind, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const outside = follow(0, { hosts: ['no-such-host'], users: ['*'] });
    await put(9);
    expect(await collect(ahead, 1)).toEqual([9]);
    const events = await outside.next();
    expect(events.filter((e) => e.kind === 'message')).toEqual([]);
    for (const f of [ahead, behind, outside]) f.close();
  });
});
