import { describe, expect, it } from 'vitest';
import type { CommandEntry } from '@/lib/replay/commands/types';
import { commandWords, firstCommandMatch } from '@/lib/sources/listing/command-query';
import { FilesSource } from '@/lib/sources/files';
import { OPEN_SCOPE, type ListQuery } from '@/lib/sources/types';
import { FIXTURES_DIR, fixtureLines } from '../support/fixtures';

// `cmd=`: the list by a command line entered (docs/commands.md). On the
// files source the command timelines are found on the first command search
// and kept; the words match as Elasticsearch's match_phrase matches them on
// the summaries (tests/integration/summaries-commands.test.ts).

const recOf = (name: string) => (JSON.parse(fixtureLines(name)[0] ?? '{}') as { rec: string }).rec;
const entry = (line: string, t = 0): CommandEntry => ({ t, line, cwd: null, source: 'screen' });

describe('command words', () => {
  it('split as the standard analyzer splits command lines', () => {
    expect(commandWords('cat /etc/hosts | head -3')).toEqual(['cat', 'etc', 'hosts', 'head', '3']);
    expect(commandWords('vi Notes.txt')).toEqual(['vi', 'notes.txt']);
    expect(commandWords("echo don't my_var")).toEqual(['echo', "don't", 'my_var']);
    expect(commandWords('--- ||')).toEqual([]);
  });

  it('match a phrase: the words in order, next to each other, in one line', () => {
    const commands = [entry('ls /etc', 1), entry('rm -rf /tmp/x', 2), entry('sudo rm -rf /', 3)];
    expect(firstCommandMatch(commands, 'rm -rf')?.t).toBe(2);
    expect(firstCommandMatch(commands, 'RM  RF')?.t).toBe(2);
    expect(firstCommandMatch(commands, 'sudo rm')?.t).toBe(3);
    expect(firstCommandMatch(commands, 'rf rm')).toBeNull();
    expect(firstCommandMatch(commands, 'ls rm')).toBeNull();
    expect(firstCommandMatch(commands, '  ')).toBeNull();
  });
});

describe('cmd= on the files source', () => {
  const source = new FilesSource(FIXTURES_DIR);
  const list = (query: Partial<ListQuery>) =>
    source.list(OPEN_SCOPE, { sort: 'start:desc', size: 50, ...query });

  it('finds the recordings a command was entered in, with the first matching command', async () => {
    const found = await list({ cmd: 'cd /tmp' });
    expect(found.items.map((i) => i.id)).toEqual([recOf('commands-color')]);
    expect(found.items[0]?.command).toMatchObject({ line: 'cd /tmp', cwd: '~' });
    const vim = await list({ cmd: 'notes.txt' });
    expect(vim.items.map((i) => [i.id, i.command?.line]).sort()).toEqual(
      [
        [recOf('commands-input'), 'vi notes.txt'],
        [recOf('fullscreen'), 'vim -u NONE -i NONE -N notes.txt'],
      ].sort(),
    );
  }, 60_000);

  it('never finds a password typed at a prompt that does not echo', async () => {
    expect((await list({ cmd: 'hunter2-secret' })).items).toEqual([]);
    expect((await list({ cmd: 's3cret' })).items).toEqual([]);
  }, 60_000);

  it('combines with text search and the other filters', async () => {
    // PackageKit is the first entry of /etc: each `ls /etc | head` printed it.
    const both = await list({ cmd: 'head', q: 'PackageKit' });
    expect(both.items.map((i) => i.id).sort()).toEqual(
      [recOf('colors'), recOf('commands-color'), recOf('commands-input')].sort(),
    );
    expect(both.items.every((i) => i.match && i.command)).toBe(true);
    expect((await list({ cmd: 'head', user: 'nobody' })).items).toEqual([]);
  }, 60_000);
});
