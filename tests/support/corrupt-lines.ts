// Damage to whole lines and files: cut, lost, repeated, reordered, junk.

import { idOf, sameOutput, shuffle, type Mutator } from './corrupt-core';
import { gapIds } from './timeline-checks';

export const LINE_MUTATORS: Record<string, Mutator> = {
  'truncate-line': (lines, rng) => {
    const out = [...lines];
    const i = rng.int(0, out.length - 1);
    const line = out[i] ?? '';
    const id = idOf(line);
    out[i] = line.slice(0, rng.int(1, line.length - 1));
    return {
      lines: out,
      expect: (d, o) => {
        if (d.errors.length !== 1) return `${d.errors.length} errors for one truncated line`;
        const maxId = Math.max(...o.messages.map((m) => m.id));
        if (id < maxId && !gapIds(d.timeline).includes(id))
          return `truncated message ${id} not marked as a gap`;
        return null;
      },
    };
  },
  'truncate-file': (lines, rng) => {
    const text = lines.map((l) => `${l}\n`).join('');
    const cut = text.slice(0, rng.int(0, text.length));
    const out = cut.split('\n');
    const last = out.length - 1;
    // A cut just before a newline leaves the last line whole.
    const partial = out[last] !== '' && out[last] !== lines[last];
    return {
      lines: out,
      expect: (d) =>
        d.errors.length !== (partial ? 1 : 0) ? `${d.errors.length} errors for a cut file` : null,
    };
  },
  'delete-messages': (lines, rng) => {
    const out = [...lines];
    const deleted: number[] = [];
    for (let k = rng.int(1, Math.min(5, out.length)); k > 0; k--) {
      deleted.push(idOf(out.splice(rng.int(0, out.length - 1), 1)[0] ?? '{}'));
    }
    return {
      lines: out,
      expect: (d, o) => {
        if (d.messages.length === 0) return null;
        const maxId = Math.max(...d.messages.map((m) => m.id));
        const want = [
          ...new Set([...gapIds(o.timeline), ...deleted].filter((id) => id < maxId)),
        ].sort((a, b) => a - b);
        const got = gapIds(d.timeline);
        if (JSON.stringify(got) !== JSON.stringify(want))
          return `gaps ${got} for deleted ${deleted}`;
        return d.timeline.problems.length > 0 ? `problems: ${d.timeline.problems[0]?.error}` : null;
      },
    };
  },
  'duplicate-messages': (lines, rng) => {
    const out = [...lines];
    const copies = rng.int(1, 5);
    for (let k = copies; k > 0; k--)
      out.splice(rng.int(0, out.length), 0, out[rng.int(0, out.length - 1)] ?? '');
    return {
      lines: out,
      expect: (d, o) => {
        if (d.timeline.duplicates !== copies)
          return `${d.timeline.duplicates} duplicates counted for ${copies}`;
        return sameOutput(d, o) ? null : 'output changed';
      },
    };
  },
  reorder: (lines, rng) => ({
    lines: shuffle([...lines], rng),
    expect: (d, o) =>
      sameOutput(d, o) && d.timeline.problems.length === 0 ? null : 'reordering changed the output',
  }),
  'junk-lines': (lines, rng) => {
    const out = [...lines];
    const junk = () =>
      rng.pick([
        () =>
          Buffer.from(Array.from({ length: rng.int(1, 200) }, () => rng.int(1, 255))).toString(
            'utf8',
          ),
        () =>
          rng.pick([
            'null',
            '[]',
            '{}',
            '"x"',
            '42',
            'true',
            '{"ver":"2.3"}',
            '{"ver":"3.0","id":1}',
          ]),
        () => '['.repeat(rng.int(1, 20_000)),
        () => `{"a":${'{"a":'.repeat(rng.int(1, 2_000))}`,
        () => `"${'x'.repeat(rng.int(1, 50_000))}"`,
      ])();
    let count = 0;
    for (let k = rng.int(1, 4); k > 0; k--) {
      const line = junk();
      if (line.trim() === '') continue;
      out.splice(rng.int(0, out.length), 0, line);
      count += 1;
    }
    return {
      lines: out,
      expect: (d, o) =>
        d.errors.length === count && sameOutput(d, o)
          ? null
          : `${d.errors.length} errors for ${count} junk lines`,
    };
  },
  'blank-lines': (lines, rng) => {
    const out = [...lines];
    for (let k = rng.int(1, 4); k > 0; k--)
      out.splice(rng.int(0, out.length), 0, rng.pick(['', ' ', '\t', '\r', '  \r']));
    return {
      lines: out,
      expect: (d, o) =>
        d.errors.length === 0 && sameOutput(d, o) ? null : 'blank lines changed the result',
    };
  },
  crlf: (lines) => ({
    lines: lines.map((l) => `${l}\r`),
    expect: (d, o) =>
      d.errors.length === 0 && sameOutput(d, o) ? null : 'CRLF line ends changed the result',
  }),
  empty: () => ({
    lines: [],
    expect: (d) =>
      d.timeline.events.length === 0 && d.timeline.messages === 0
        ? null
        : 'an empty file is not empty',
  }),
};
