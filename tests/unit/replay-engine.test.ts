import { describe, expect, it } from 'vitest';
import { ManualClock } from '@/lib/replay/clock';
import {
  PlayerEvent,
  PlayerState,
  ReplayEngine,
  type PlayerSnapshot,
  type TerminalSink,
} from '@/lib/replay/engine';
import { KeyframeStore } from '@/lib/replay/keyframes';
import { assembleTimeline, type TlogMessage } from '@/lib/tlog';

/** A sink that records what the terminal would have received. */
class RecordingSink implements TerminalSink {
  screen = '';
  log: string[] = [];
  /** When set, writes wait for `release()` (a slow terminal). */
  hold = false;
  private waiting: (() => void)[] = [];
  reset(cols: number, rows: number) {
    this.screen = '';
    this.log.push(`reset ${cols}x${rows}`);
  }
  resize(cols: number, rows: number) {
    this.log.push(`resize ${cols}x${rows}`);
  }
  begin() {
    this.log.push('begin');
  }
  end() {
    this.log.push('end');
  }
  async write(data: Uint8Array | string, endsBatch?: boolean) {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    this.screen += text;
    this.log.push(`write ${text}`);
    if (endsBatch) this.log.push('end, with the write');
    if (this.hold) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release() {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}

const message = (id: number, pos: number, timing: string, out_txt: string): TlogMessage => ({
  ver: '2.3',
  host: 'h',
  rec: 'r',
  user: 'u',
  term: 'xterm',
  session: 1,
  id,
  pos,
  time: 1700000000 + pos / 1000,
  timing,
  in_txt: '',
  in_bin: [],
  out_txt,
  out_bin: [],
});

// a at 0, b at 1000, c at 3000; window 80x24 then 100x30 at 3000; gap before id 4, e at 5000.
const timeline = assembleTimeline([
  message(1, 0, '=80x24>1+1000>1', 'ab'),
  message(2, 3000, '=100x30>1', 'c'),
  message(4, 5000, '=100x30>1+500', 'e'),
]);

/** Lets queued terminal writes finish and timers due right now fire (no time passes). */
async function settle(engine: ReplayEngine, clock?: ManualClock) {
  for (let i = 0; i < 5; i++) {
    await engine.flushed();
    clock?.advance(0);
  }
}

function setup(options?: ConstructorParameters<typeof ReplayEngine>[2]) {
  const clock = new ManualClock();
  const sink = new RecordingSink();
  const engine = new ReplayEngine(clock, sink, options);
  const events: PlayerSnapshot[] = [];
  engine.subscribe((s) => events.push(s));
  return { clock, sink, engine, events };
}

describe('ReplayEngine', () => {
  it('plays output at its recorded time, across a gap, to the end', async () => {
    const { clock, sink, engine } = setup();
    engine.update(timeline, true);
    expect(engine.snapshot().state).toBe(PlayerState.Playing);
    clock.advance(0);
    await settle(engine, clock);
    expect(sink.screen).toBe('a');
    clock.advance(999);
    await settle(engine, clock);
    expect(sink.screen).toBe('a');
    clock.advance(1);
    await settle(engine, clock);
    expect(sink.screen).toBe('ab');
    clock.advance(4000);
    await settle(engine, clock);
    expect(sink.screen).toBe('abce');
    expect(engine.snapshot().state).toBe(PlayerState.Playing);
    clock.advance(500);
    await settle(engine, clock);
    expect(engine.snapshot()).toMatchObject({ state: PlayerState.Ended, time: 5500 });
    expect(sink.log.filter((l) => l.startsWith('resize'))).toEqual([
      'resize 80x24',
      'resize 100x30',
    ]);
    // Every batch of writes is wrapped, so the terminal draws once per batch.
    expect(sink.log.filter((l) => l === 'begin').length).toBe(
      sink.log.filter((l) => l.startsWith('end')).length,
    );
  });

  it('pauses, keeps time still, and honours speed', async () => {
    const { clock, sink, engine } = setup();
    engine.update(timeline, true);
    clock.advance(500);
    engine.pause();
    clock.advance(10_000);
    await settle(engine, clock);
    expect(engine.currentTime()).toBe(500);
    expect(sink.screen).toBe('a');
    engine.setSpeed(4);
    engine.play();
    clock.advance(125);
    await settle(engine, clock);
    expect(engine.currentTime()).toBe(1000);
    expect(sink.screen).toBe('ab');
    engine.setSpeed(1 / 16);
    clock.advance(16_000);
    expect(engine.currentTime()).toBe(2000);
  });

  it('seeks backwards without keyframes by replaying from the start, forwards by carrying on', async () => {
    const { clock, sink, engine } = setup({ autoplay: false });
    engine.update(timeline, true);
    expect(engine.snapshot().state).toBe(PlayerState.Paused);
    engine.seek(3000);
    await settle(engine, clock);
    expect(sink.screen).toBe('abc');
    sink.log = [];
    engine.seek(1500);
    await settle(engine, clock);
    expect(sink.screen).toBe('ab');
    expect(sink.log).toEqual([
      'resize 80x24',
      'reset 80x24',
      'begin',
      'write ab',
      'end, with the write',
    ]);
    sink.log = [];
    engine.seek(5000);
    await settle(engine, clock);
    expect(sink.log).toEqual(['begin', 'resize 100x30', 'write ce', 'end, with the write']);
    sink.log = [];
    engine.seek(5000);
    await settle(engine, clock);
    expect(sink.log).toEqual([]);
    engine.seek(99_999);
    await settle(engine, clock);
    expect(engine.snapshot()).toMatchObject({ time: 5500, state: PlayerState.Ended });
  });

  it('seeks backwards from the nearest keyframe', async () => {
    const keyframes = new KeyframeStore();
    // After events 0..4 (=80x24, a, b, =100x30, c): the screen "abc" at 100x30.
    keyframes.add({
      index: 5,
      t: 3000,
      cols: 100,
      rows: 30,
      state: new TextEncoder().encode('[abc]'),
      cost: 5,
      fullScrollback: false,
    });
    const { clock, sink, engine } = setup({ autoplay: false, keyframes });
    engine.update(timeline, true);
    engine.seek(5500);
    await settle(engine, clock);
    sink.log = [];
    engine.seek(4000);
    await settle(engine, clock);
    expect(sink.log).toEqual(['resize 100x30', 'reset 100x30', 'begin', 'write [abc]', 'end']);
    sink.log = [];
    engine.seek(500);
    await settle(engine, clock);
    expect(sink.log).toEqual([
      'resize 80x24',
      'reset 80x24',
      'begin',
      'write a',
      'end, with the write',
    ]);
    expect(engine.restores).toBe(3);
  });

  it('steps one output moment at a time, both ways, pausing first', async () => {
    const { clock, engine, sink } = setup();
    engine.update(timeline, true);
    clock.advance(0);
    engine.stepForward();
    expect(engine.snapshot()).toMatchObject({ state: PlayerState.Paused, time: 1000 });
    engine.stepForward();
    expect(engine.snapshot().time).toBe(3000);
    engine.stepForward();
    expect(engine.snapshot().time).toBe(5000);
    engine.stepBack();
    expect(engine.snapshot().time).toBe(3000);
    await settle(engine, clock);
    expect(sink.screen).toBe('abc');
    engine.stepBack();
    engine.stepBack();
    expect(engine.snapshot().time).toBe(0);
    engine.stepBack();
    expect(engine.snapshot().time).toBe(0);
    engine.seek(5000);
    engine.stepForward();
    expect(engine.snapshot()).toMatchObject({ time: 5500, state: PlayerState.Ended });
  });

  it('skips by a delta and clamps to the recording', () => {
    const { engine } = setup({ autoplay: false });
    engine.update(timeline, true);
    engine.skip(5000);
    expect(engine.currentTime()).toBe(5000);
    engine.skip(-30_000);
    expect(engine.currentTime()).toBe(0);
    engine.skip(30_000);
    expect(engine.snapshot()).toMatchObject({ time: 5500, state: PlayerState.Ended });
  });

  it('plays again from the start once ended', async () => {
    const { clock, sink, engine } = setup({ autoplay: false });
    engine.update(timeline, true);
    engine.seek(6000);
    expect(engine.snapshot().state).toBe(PlayerState.Ended);
    engine.play();
    await settle(engine, clock);
    expect(engine.snapshot()).toMatchObject({ state: PlayerState.Playing, time: 0 });
    expect(sink.screen).toBe('a');
  });

  it('opens paused at a linked moment once it has loaded', async () => {
    const { clock, sink, engine } = setup({ autoplay: false, startAt: 3000 });
    const partial = assembleTimeline([message(1, 0, '=80x24>1+1000>1', 'ab')]);
    engine.update(partial, false);
    expect(engine.snapshot().state).toBe(PlayerState.Loading);
    engine.update(timeline, true);
    await settle(engine, clock);
    expect(engine.snapshot()).toMatchObject({ state: PlayerState.Paused, time: 3000 });
    expect(sink.screen).toBe('abc');
  });

  it('waits at the end of what has loaded instead of ending early', async () => {
    const { clock, sink, engine } = setup();
    const partial = assembleTimeline([message(1, 0, '=80x24>1+1000>1', 'ab')]);
    engine.update(partial, false);
    clock.advance(5000);
    await settle(engine, clock);
    expect(engine.snapshot()).toMatchObject({ state: PlayerState.Playing, time: 1000 });
    engine.update(timeline, true);
    clock.advance(2000);
    await settle(engine, clock);
    expect(sink.screen).toBe('abc');
    expect(engine.currentTime()).toBe(3000);
  });

  it('following live, output after a quiet stall starts at once, then keeps its pace', async () => {
    const { clock, sink, engine } = setup();
    engine.setFollowing(true);
    const partial = assembleTimeline([message(1, 0, '=80x24>1+1000>1', 'ab')]);
    engine.update(partial, false);
    clock.advance(5000);
    await settle(engine, clock);
    expect(engine.snapshot()).toMatchObject({ state: PlayerState.Playing, time: 1000 });
    // c (at 3000) arrives after the quiet that preceded it was waited out live.
    engine.update(timeline, false);
    await settle(engine, clock);
    expect(sink.screen).toBe('abc');
    expect(engine.currentTime()).toBe(3000);
    // e is 2000 ms after c in the recording: played 2000 ms later.
    clock.advance(1999);
    await settle(engine, clock);
    expect(sink.screen).toBe('abc');
    clock.advance(1);
    await settle(engine, clock);
    expect(sink.screen).toBe('abce');
  });

  it('a seek past what has loaded waits for it and says so', async () => {
    const { clock, sink, engine, events } = setup({ autoplay: false });
    const partial = assembleTimeline([message(1, 0, '=80x24>1+1000>1', 'ab')]);
    engine.update(partial, false);
    engine.seek(5000);
    expect(engine.snapshot()).toMatchObject({ waitingFor: 5000, time: 1000 });
    // Relative to where it is going, not to where it waits.
    engine.skip(-4500);
    expect(engine.snapshot()).toMatchObject({ waitingFor: null, time: 500 });
    engine.seek(5000);
    engine.update(timeline, false);
    await settle(engine, clock);
    expect(engine.snapshot()).toMatchObject({
      waitingFor: null,
      time: 5000,
      state: PlayerState.Paused,
    });
    expect(sink.screen).toBe('abce');
    expect(events.some((e) => e.event === PlayerEvent.Settled)).toBe(true);
  });

  it('cuts long pauses to the idle-time limit when asked, keeping recording time', async () => {
    const long = assembleTimeline([message(1, 0, '=80x24>1+60000>1', 'ab')]);
    const { clock, sink, engine } = setup();
    engine.setIdleLimit(2000);
    engine.update(long, true);
    await settle(engine, clock);
    clock.advance(1999);
    await settle(engine, clock);
    expect(sink.screen).toBe('a');
    clock.advance(1);
    await settle(engine, clock);
    expect(sink.screen).toBe('ab');
    expect(engine.snapshot()).toMatchObject({
      time: 60_000,
      state: PlayerState.Ended,
      idleLimitMs: 2000,
    });
    engine.setIdleLimit(null);
    expect(engine.snapshot().idleLimitMs).toBeNull();
  });

  it('waits for the terminal before writing more (flow control)', async () => {
    const { clock, sink, engine } = setup();
    sink.hold = true;
    engine.update(timeline, true);
    clock.advance(0);
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(4000);
    // The first write is still in the terminal: nothing more is queued.
    expect(sink.log.filter((l) => l.startsWith('write'))).toEqual(['write a']);
    expect(engine.pendingWrites).toBeGreaterThan(0);
    sink.hold = false;
    sink.release();
    await settle(engine, clock);
    expect(sink.screen).toBe('abc');
    expect(engine.pendingWrites).toBe(0);
  });

  it('a restore drops writes that were queued for an older position', async () => {
    const { clock, sink, engine } = setup({ autoplay: false });
    sink.hold = true;
    engine.update(timeline, true);
    engine.seek(3000);
    engine.seek(5000);
    engine.seek(0);
    sink.hold = false;
    sink.release();
    await settle(engine, clock);
    expect(sink.log.filter((l) => l.startsWith('write')).at(-1)).toBe('write a');
    expect(sink.screen).toBe('a');
  });

  it('clamps speed to 1/16..16 and reports a load failure', () => {
    const { engine } = setup();
    engine.setSpeed(1000);
    expect(engine.snapshot().speed).toBe(16);
    engine.setSpeed(0);
    expect(engine.snapshot().speed).toBe(1 / 16);
    engine.setSpeed(Number.NaN);
    expect(engine.snapshot().speed).toBe(1);
    engine.fail('boom');
    expect(engine.snapshot()).toMatchObject({ state: PlayerState.Error, error: 'boom' });
    engine.play();
    engine.seek(1000);
    expect(engine.snapshot().state).toBe(PlayerState.Error);
  });
});
