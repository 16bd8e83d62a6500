import { describe, expect, it } from 'vitest';
import {
  assembleTimeline,
  decodeTiming,
  messageEnd,
  parseMessageLine,
  validateMessage,
  type TlogMessage,
} from '@/lib/tlog';

const base: TlogMessage = {
  ver: '2.3',
  host: 'h',
  rec: 'r1',
  user: 'u',
  term: 'xterm',
  session: 1,
  id: 1,
  pos: 0,
  time: 1700000000,
  timing: '',
  in_txt: '',
  in_bin: [],
  out_txt: '',
  out_bin: [],
};
const msg = (over: Partial<TlogMessage>): TlogMessage => ({ ...base, ...over });
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe('validateMessage', () => {
  it('accepts a tlog 12 message and ignores unknown fields', () => {
    const result = validateMessage({ ...base, extra: 1, timestamp: '2026-01-01T00:00:00Z' });
    expect(result).toEqual({ ok: true, value: base });
  });

  it('accepts an integer version from old writers and a missing rec and time', () => {
    const { rec: _rec, time: _time, ...old } = base;
    const result = validateMessage({ ...old, ver: 1 });
    expect(result.ok && result.value.ver).toBe('1');
  });

  it.each([
    [{ ver: '3.0' }, 'unsupported format version "3.0"'],
    [{ ver: 3 }, 'unsupported format version 3'],
    [{ ver: 'x' }, 'field "ver"'],
    [{ host: 5 }, 'field "host" must be a string'],
    [{ id: -1 }, 'field "id" must be a non-negative integer'],
    [{ id: 1.5 }, 'field "id"'],
    [{ pos: '3' }, 'field "pos"'],
    [{ out_bin: [256] }, 'field "out_bin"'],
    [{ in_bin: 'x' }, 'field "in_bin"'],
    [{ rec: '' }, 'field "rec"'],
    [{ time: 'now' }, 'field "time"'],
  ])('refuses %j with a specific error', (over, error) => {
    const result = validateMessage({ ...base, ...over });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(error);
  });

  it('refuses lines that are not JSON objects', () => {
    expect(parseMessageLine('{"ver"')).toEqual({ ok: false, error: 'line is not valid JSON' });
    expect(parseMessageLine('[1]')).toEqual({ ok: false, error: 'message is not a JSON object' });
  });
});

describe('decodeTiming', () => {
  it('counts characters as code points, not UTF-16 units', () => {
    const decoded = decodeTiming(msg({ timing: '>2+5>1', out_txt: '👍🏽é' }));
    expect(decoded.error).toBeUndefined();
    expect(decoded.events).toEqual([
      { kind: 'output', t: 0, data: new TextEncoder().encode('👍🏽') },
      { kind: 'output', t: 5, data: new TextEncoder().encode('é') },
    ]);
    expect(decoded.end).toBe(5);
  });

  it('interleaves binary bytes in place of their placeholders', () => {
    const decoded = decodeTiming(
      msg({ timing: '>3]1/2>4', out_txt: 'ok \uFFFD bad', out_bin: [0xff, 0xfe] }),
    );
    expect(decoded.events).toHaveLength(1);
    expect(Array.from(decoded.events[0]?.kind === 'output' ? decoded.events[0].data : [])).toEqual([
      0x6f, 0x6b, 0x20, 0xff, 0xfe, 0x20, 0x62, 0x61, 0x64,
    ]);
  });

  it('accumulates delays from pos and reads input and window records', () => {
    const decoded = decodeTiming(
      msg({
        pos: 1000,
        timing: '=80x24<1+10>2 +3[0/1=100x30',
        in_txt: 'a',
        out_txt: 'hi',
        in_bin: [7],
      }),
    );
    expect(decoded.events.map((e) => [e.kind, e.t])).toEqual([
      ['window', 1000],
      ['input', 1000],
      ['output', 1010],
      ['input', 1013],
      ['window', 1013],
    ]);
    expect(decoded.end).toBe(1013);
  });

  it('reports a script that overruns its text, keeping what decoded', () => {
    const decoded = decodeTiming(msg({ id: 7, timing: '>2>5', out_txt: 'abc' }));
    expect(decoded.error).toBe(
      'message 7: timing asks for more output text than the message holds',
    );
    expect(decoded.events).toHaveLength(1);
  });

  it('reports garbage in the script', () => {
    const decoded = decodeTiming(msg({ timing: '>1 ?3', out_txt: 'a' }));
    expect(decoded.error).toBe('message 1: bad timing record at offset 2');
  });

  it('ends a damaged message where messageEnd says: after every well-formed delay', () => {
    const cases: [Partial<TlogMessage>, number, string][] = [
      // Text runs short: no more events, but the delays after it still pass.
      [{ pos: 10, timing: '>2+5>5+7<1+3', out_txt: 'abc' }, 25, 'more output text'],
      [{ pos: 0, timing: '=99999x1+40>1', out_txt: 'a' }, 40, 'window size'],
      [{ pos: 0, timing: '+5]1/9+6', out_txt: '\uFFFD' }, 11, 'more output bytes'],
      // A malformed record or a delay tlog refuses stops the walk.
      [{ pos: 0, timing: '+5 ?3+9', out_txt: '' }, 5, 'bad timing record'],
      [{ pos: 0, timing: '+5+9999999999999999+9', out_txt: '' }, 5, 'too long'],
      [
        { pos: 2_147_483_647_000, timing: '+998+2+1', out_txt: '' },
        2_147_483_647_998,
        'largest time',
      ],
    ];
    for (const [fields, end, error] of cases) {
      const message = msg(fields);
      const decoded = decodeTiming(message);
      expect(decoded.error, message.timing).toContain(error);
      expect(decoded.end, message.timing).toBe(end);
      expect(messageEnd(message.pos, message.timing), message.timing).toBe(end);
    }
  });
});

describe('assembleTimeline', () => {
  it('orders by id, drops duplicates keeping the first, and marks gaps in time', () => {
    const timeline = assembleTimeline([
      msg({ id: 4, pos: 500, timing: '>1', out_txt: 'd' }),
      msg({ id: 1, pos: 0, timing: '>1+100', out_txt: 'a' }),
      msg({ id: 2, pos: 100, timing: '>1', out_txt: 'b' }),
      msg({ id: 2, pos: 100, timing: '>1', out_txt: 'X' }),
    ]);
    expect(timeline.messages).toBe(3);
    expect(timeline.duplicates).toBe(1);
    expect(timeline.gaps).toEqual([{ afterId: 2, missing: 1, t: 500 }]);
    expect(timeline.events.map((e) => (e.kind === 'output' ? text(e.data) : e.kind))).toEqual([
      'a',
      'b',
      'gap',
      'd',
    ]);
    expect(timeline.durationMs).toBe(500);
    expect(timeline.startMs).toBe(1700000000000);
  });

  it('marks a recording whose first messages were lost', () => {
    const timeline = assembleTimeline([
      msg({ id: 3, pos: 2000, time: 1700000002, timing: '>1', out_txt: 'c' }),
    ]);
    expect(timeline.gaps).toEqual([{ afterId: 0, missing: 2, t: 2000 }]);
    expect(timeline.startMs).toBe(1700000000000);
  });

  it('refuses to mix two recordings', () => {
    const timeline = assembleTimeline([msg({ id: 1 }), msg({ id: 2, rec: 'other' })]);
    expect(timeline.messages).toBe(1);
    expect(timeline.problems[0]?.error).toContain('belongs to another recording');
  });

  it('never lets time run backwards on a damaged pos', () => {
    const timeline = assembleTimeline([
      msg({ id: 1, pos: 0, timing: '>1+900>1', out_txt: 'ab' }),
      msg({ id: 2, pos: 10, timing: '>1', out_txt: 'c' }),
    ]);
    expect(timeline.events.map((e) => e.t)).toEqual([0, 900, 900]);
  });
});
