// The command timeline of real recordings (tests/fixtures/make-fixtures.sh:
// tlog-rec in tmux, bash typed into key by key), against the ground truth the
// script wrote while recording them (tests/fixtures/commands/*.json: each
// line the shell ran and when the script pressed Enter).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractCommands } from '@/lib/replay/commands/extract';
import { DOUBTS, type CommandEntry } from '@/lib/replay/commands/types';
import { exportAsciicast } from '@/lib/export/asciicast';
import { commandLabel } from '@/lib/export/command-feed';
import { exportCommands } from '@/lib/export/commands';
import { exportText } from '@/lib/export/text';
import { formatMoment } from '@/lib/replay/moment';
import { collectText, parseCast } from '../support/exports';
import { fixtureLines, fixtureMessages } from '../support/fixtures';
import { decodeAll } from '../support/timeline-checks';

interface Truth {
  fixture: string;
  inputLogged: boolean;
  commands: { line: string; enterMs: number; cwd: string | null }[];
  secrets: string[];
  notCommands: string[];
}

const truth = (name: string) =>
  JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, `../fixtures/commands/${name}.json`), 'utf8'),
  ) as Truth;

/** The bound: a command's time within half a second of its Enter key. */
const WITHIN_MS = 500;

async function commandsOf(name: string): Promise<CommandEntry[]> {
  const { timeline } = decodeAll(fixtureLines(name));
  return extractCommands(timeline.events, { inputLogged: truth(name).inputLogged });
}

function expectTruth(found: CommandEntry[], expected: Truth, source: CommandEntry['source']) {
  // Trailing blanks are not on a screen: `cat /etc/hostname ` (completion's space) shows without.
  expect(found.map((c) => c.line)).toEqual(expected.commands.map((c) => c.line.trimEnd()));
  expect(found.map((c) => c.cwd)).toEqual(expected.commands.map((c) => c.cwd));
  expect(found.every((c) => c.source === source)).toBe(true);
  found.forEach((command, i) => {
    const enter = expected.commands[i]!.enterMs;
    expect(
      Math.abs(command.t - enter),
      `${command.line} at ${command.t}, Enter at ${enter}`,
    ).toBeLessThanOrEqual(WITHIN_MS);
  });
  const all = found.map((c) => c.line).join('\n');
  for (const secret of expected.secrets) expect(all).not.toContain(secret);
  for (const line of expected.notCommands) expect(found.map((c) => c.line)).not.toContain(line);
}

describe('the command timeline of real recordings', () => {
  it('takes the lines as run from the screen at each Enter (input logged, plain prompt)', async () => {
    const found = await commandsOf('commands-input');
    expectTruth(found, truth('commands-input'), 'input');
    expect(found.some((c) => c.doubt)).toBe(false);
  });

  it('reads them from the screen without input (coloured prompt with the directory)', async () => {
    const found = await commandsOf('commands-color');
    expectTruth(found, truth('commands-color'), 'screen');
    expect(found.some((c) => c.doubt)).toBe(false);
  });

  it('takes the shell-integration marks, and marks the forged ones', async () => {
    const found = await commandsOf('commands-marks');
    const expected = truth('commands-marks');
    const typed = found.filter((c) => !c.doubt);
    expectTruth(typed, expected, 'marks');
    // The printf printed a prompt and "fake-command" with marks: listed, and doubted.
    const forged = found.filter((c) => c.doubt);
    expect(forged.map((c) => [c.line, c.doubt])).toEqual([['fake-command', DOUBTS.nested]]);
    // In its place: after the printf that printed it, before the next command.
    const at = found.indexOf(forged[0]!);
    expect(found[at - 1]?.line).toMatch(/^printf /);
    expect(found[at + 1]?.line).toBe('echo after');
  });

  it('finds the same without knowing beforehand that input was logged', async () => {
    const { timeline } = decodeAll(fixtureLines('commands-input'));
    const found = await extractCommands(timeline.events);
    expect(found.map((c) => c.line)).toEqual(
      truth('commands-input').commands.map((c) => c.line.trimEnd()),
    );
  });

  it('is what the commands API returns (the export worker job), with the message counts', async () => {
    let body = '';
    for await (const chunk of exportCommands(fixtureLines('commands-color'))) body += chunk;
    const document = JSON.parse(body) as { commands: CommandEntry[]; messages: number };
    expect(document.commands).toEqual(await commandsOf('commands-color'));
    expect(document.messages).toBe(fixtureMessages('commands-color').length);
  });
});

describe('commands in the exports', () => {
  it.each(['commands-input', 'commands-color', 'commands-marks'])(
    '%s: the text export writes a line after each command line, before its output',
    async (name) => {
      const expected = await commandsOf(name);
      const text = await collectText(
        exportText(fixtureLines(name), { inputLogged: truth(name).inputLogged }),
      );
      const lines = text.split('\n');
      const notes = lines.flatMap((line, i) => (line.startsWith('[command at ') ? [i] : []));
      expect(notes.map((i) => lines[i])).toEqual(
        expected.map((c) => `[command at ${formatMoment(c.t)}: ${commandLabel(c)}]`),
      );
      // The line with the command is right above its note (the prompt before it).
      notes.forEach((at, k) =>
        expect(lines[at - 1]!.endsWith(` ${expected[k]!.line}`), lines[at - 1]).toBe(true),
      );
    },
  );

  it('the text export puts output after the note: pwd prints /tmp under it', async () => {
    const text = await collectText(exportText(fixtureLines('commands-color')));
    expect(text).toContain('root@vm:/tmp# pwd\n[command at 0:01.39: pwd (in /tmp)]\n/tmp\n');
  });

  it('the asciicast export carries each command as a marker at its moment', async () => {
    const expected = truth('commands-input');
    const cast = parseCast(
      await collectText(
        exportAsciicast(fixtureLines('commands-input'), { commands: true, inputLogged: true }),
      ),
    );
    const markers = cast.events.filter(
      ([, code, data]) => code === 'm' && data.startsWith('command: '),
    );
    expect(markers.map(([, , data]) => data)).toEqual(
      expected.commands.map((c) => `command: ${c.line.trimEnd()}`),
    );
    markers.forEach(([time], i) =>
      expect(Math.abs(time * 1000 - expected.commands[i]!.enterMs)).toBeLessThanOrEqual(WITHIN_MS),
    );
    // Times never go back, markers included.
    const times = cast.events.map(([time]) => time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Without `commands`, as asciinema's tools read it: no markers but gaps.
    const plain = parseCast(await collectText(exportAsciicast(fixtureLines('commands-input'))));
    expect(plain.events.filter(([, code]) => code === 'm')).toEqual([]);
  });
});
