import { describe, expect, it } from 'vitest';
import { ManualClock } from '@/lib/replay/clock';
import { PlayerState, ReplayEngine, type TerminalSink } from '@/lib/replay/engine';
import { assembleTimeline, type TlogMessage } from '@/lib/tlog';

/** A sink that records what the terminal would have received. */
class RecordingSink implements TerminalSink {
  screen = '';
  log: string[] = [];
  reset() {
    this.screen = '';
    this.log.push('reset');
  }
  resize(cols: number, rows: number) {
    this.log.push(`resize ${cols}x${rows}`);
  }
  async write(data: Uint8Array) {
    const text = new TextDecoder().decode(data);
    this.screen += text;
    this.log.push(`write ${text}`);
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

// a at 0, b at 1000, c at 3000; window 80x24 then 100x30 at 3000; gap before id 4.
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

describe('ReplayEngine', () => {
  it('plays output at its recorded time, across a gap, to the end', async () => {
    const clock = new ManualClock();
    const sink = new RecordingSink();
    const engine = new ReplayEngine(clock, sink);
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
    expect(sink.log.filter((l) => l.startsWith('resize'))).toEqual(['resize 80x24', 'resize 100x30']);
  });

  it('pauses, keeps time still, and honours speed', async () => {
    const clock = new ManualClock();
    const sink = new RecordingSink();
    const engine = new ReplayEngine(clock, sink);
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
  });

  it('seeks backwards by resetting the terminal and forwards without it', async () => {
    const clock = new ManualClock();
    const sink = new RecordingSink();
    const engine = new ReplayEngine(clock, sink, { autoplay: false });
    engine.update(timeline, true);
    expect(engine.snapshot().state).toBe(PlayerState.Paused);
    engine.seek(3000);
    await settle(engine, clock);
    expect(sink.screen).toBe('abc');
    engine.seek(1500);
    await settle(engine, clock);
    expect(sink.screen).toBe('ab');
    expect(sink.log.filter((l) => l === 'reset')).toHaveLength(1);
    engine.seek(99_999);
    await settle(engine, clock);
    expect(engine.snapshot().time).toBe(5500);
  });

  it('opens paused at a linked moment once it has loaded', async () => {
    const clock = new ManualClock();
    const sink = new RecordingSink();
    const engine = new ReplayEngine(clock, sink, { autoplay: false, startAt: 3000 });
    const partial = assembleTimeline([message(1, 0, '=80x24>1+1000>1', 'ab')]);
    engine.update(partial, false);
    expect(engine.snapshot().state).toBe(PlayerState.Loading);
    engine.update(timeline, true);
    await settle(engine, clock);
    expect(engine.snapshot()).toMatchObject({ state: PlayerState.Paused, time: 3000 });
    expect(sink.screen).toBe('abc');
  });

  it('waits for more messages instead of ending early', async () => {
    const clock = new ManualClock();
    const sink = new RecordingSink();
    const engine = new ReplayEngine(clock, sink);
    const partial = assembleTimeline([message(1, 0, '=80x24>1+1000>1', 'ab')]);
    engine.update(partial, false);
    clock.advance(5000);
    await settle(engine, clock);
    expect(engine.snapshot().state).toBe(PlayerState.Playing);
    engine.update(timeline, true);
    clock.advance(1000);
    await settle(engine, clock);
    expect(sink.screen).toBe('abce');
  });

  it('clamps speed to 1/16..16 and reports a load failure', () => {
    const engine = new ReplayEngine(new ManualClock(), new RecordingSink());
    engine.setSpeed(1000);
    expect(engine.snapshot().speed).toBe(16);
    engine.setSpeed(0);
    expect(engine.snapshot().speed).toBe(1 / 16);
    engine.fail('boom');
    expect(engine.snapshot()).toMatchObject({ state: PlayerState.Error, error: 'boom' });
  });
});
